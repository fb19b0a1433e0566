import type { Database } from "../db/client";
import {
  findItemIds,
  findLocationIds,
  forgetItemIds,
  listMappedSkus,
  locationsRefreshedAt,
  replaceLocations,
  saveItemIds,
} from "../db/inventory-mapping";
import { listLocations, lookupInventoryItems, SKUS_PER_LOOKUP } from "../shopify/admin/inventory";
import type { AdminContext } from "../shopify/admin/run-operation";

/**
 * How OMS identifiers become Shopify ids: SKU → InventoryItem and location code →
 * Location, cached in D1. A miss asks Shopify; the nightly refresh re-reads what is cached.
 */

/** A missing location code re-lists the shop's locations at most this often. */
export const LOCATION_MISS_REFRESH_MS = 5 * 60 * 1000;

export interface ResolvedMapping {
  items: Map<string, string>;
  locations: Map<string, string>;
  /** SKUs Shopify has no inventory item for. */
  unknownSkus: string[];
  /** SKUs several Shopify inventory items share: pushing to one would be a guess. */
  ambiguousSkus: string[];
  unknownLocations: string[];
}

/** Maps the given SKUs and location codes, asking Shopify for what the cache lacks. */
export async function resolveMapping(
  ctx: AdminContext,
  db: Database,
  shop: string,
  skus: string[],
  locationCodes: string[],
): Promise<ResolvedMapping> {
  const items = await findItemIds(db, shop, skus);
  const missing = skus.filter((sku) => !items.has(sku));
  const looked = await lookupSkus(ctx, db, shop, missing);
  for (const [sku, id] of looked.mapped) items.set(sku, id);

  let locations = await findLocationIds(db, shop);
  if (locationCodes.some((code) => !locations.has(code))) {
    const refreshedAt = await locationsRefreshedAt(db, shop);
    if (refreshedAt === null || Date.now() - refreshedAt > LOCATION_MISS_REFRESH_MS) {
      await refreshLocations(ctx, db, shop);
      locations = await findLocationIds(db, shop);
    }
  }

  return {
    items,
    locations,
    unknownSkus: missing.filter((sku) => !looked.mapped.has(sku) && !looked.ambiguous.has(sku)),
    ambiguousSkus: [...looked.ambiguous],
    unknownLocations: [...new Set(locationCodes)].filter((code) => !locations.has(code)),
  };
}

/** Re-lists the shop's locations into the cache. Returns how many are mapped. */
export async function refreshLocations(
  ctx: AdminContext,
  db: Database,
  shop: string,
): Promise<number> {
  const listed = await listLocations(ctx, shop);
  const counts = new Map<string, number>();
  for (const location of listed) counts.set(location.code, (counts.get(location.code) ?? 0) + 1);

  const unique = listed.filter((location) => counts.get(location.code) === 1);
  if (unique.length < listed.length) {
    ctx.logger.warn("several Shopify locations share an OMS location code; not mapped", {
      shop,
      duplicated: listed.length - unique.length,
    });
  }
  await replaceLocations(db, shop, unique);
  return unique.length;
}

/** The nightly refresh of one shop: locations, then every cached SKU. */
export async function refreshShopMapping(ctx: AdminContext, db: Database, shop: string) {
  const locations = await refreshLocations(ctx, db, shop);
  const skus = await listMappedSkus(db, shop);
  const looked = await lookupSkus(ctx, db, shop, skus);
  const gone = skus.filter((sku) => !looked.mapped.has(sku));
  await forgetItemIds(db, shop, gone);
  return { locations, skus: looked.mapped.size, forgotten: gone.length };
}

async function lookupSkus(ctx: AdminContext, db: Database, shop: string, skus: string[]) {
  const mapped = new Map<string, string>();
  const ambiguous = new Set<string>();

  for (let start = 0; start < skus.length; start += SKUS_PER_LOOKUP) {
    const found = await lookupInventoryItems(ctx, shop, skus.slice(start, start + SKUS_PER_LOOKUP));
    for (const [sku, ids] of found) {
      const [only] = ids;
      if (ids.length === 1 && only) mapped.set(sku, only);
      else ambiguous.add(sku);
    }
  }
  await saveItemIds(db, shop, mapped);
  return { mapped, ambiguous };
}
