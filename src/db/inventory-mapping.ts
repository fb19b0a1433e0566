import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "./client";
import { inventoryItemMap, inventoryLocationMap } from "./schema";

// D1 binds at most 100 parameters per query; the shop takes one.
const KEYS_PER_QUERY = 90;

/** SKU → InventoryItem GID for the SKUs the cache knows. */
export async function findItemIds(
  db: Database,
  shop: string,
  skus: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let start = 0; start < skus.length; start += KEYS_PER_QUERY) {
    const rows = await db
      .select({ sku: inventoryItemMap.sku, id: inventoryItemMap.inventoryItemId })
      .from(inventoryItemMap)
      .where(
        and(
          eq(inventoryItemMap.shop, shop),
          inArray(inventoryItemMap.sku, skus.slice(start, start + KEYS_PER_QUERY)),
        ),
      );
    for (const row of rows) found.set(row.sku, row.id);
  }
  return found;
}

/** Stores SKU mappings, replacing what was cached for them. */
export async function saveItemIds(
  db: Database,
  shop: string,
  mappings: Map<string, string>,
  now = Date.now(),
): Promise<void> {
  const rows = [...mappings].map(([sku, inventoryItemId]) => ({
    shop,
    sku,
    inventoryItemId,
    refreshedAt: now,
  }));
  // Four columns a row keeps each statement under the 100-parameter limit.
  for (let start = 0; start < rows.length; start += 20) {
    await db
      .insert(inventoryItemMap)
      .values(rows.slice(start, start + 20))
      .onConflictDoUpdate({
        target: [inventoryItemMap.shop, inventoryItemMap.sku],
        set: { inventoryItemId: sqlExcluded("inventory_item_id"), refreshedAt: now },
      });
  }
}

/** Forgets SKUs Shopify no longer knows (or knows twice), so the next push looks again. */
export async function forgetItemIds(db: Database, shop: string, skus: string[]): Promise<void> {
  for (let start = 0; start < skus.length; start += KEYS_PER_QUERY) {
    await db
      .delete(inventoryItemMap)
      .where(
        and(
          eq(inventoryItemMap.shop, shop),
          inArray(inventoryItemMap.sku, skus.slice(start, start + KEYS_PER_QUERY)),
        ),
      );
  }
}

/** Every SKU the cache maps for a shop, for the nightly refresh. */
export async function listMappedSkus(db: Database, shop: string): Promise<string[]> {
  const rows = await db
    .select({ sku: inventoryItemMap.sku })
    .from(inventoryItemMap)
    .where(eq(inventoryItemMap.shop, shop));
  return rows.map((row) => row.sku);
}

/** Location code → Shopify Location GID for a shop. */
export async function findLocationIds(db: Database, shop: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ code: inventoryLocationMap.locationCode, id: inventoryLocationMap.shopifyLocationId })
    .from(inventoryLocationMap)
    .where(eq(inventoryLocationMap.shop, shop));
  return new Map(rows.map((row) => [row.code, row.id]));
}

/** Replaces a shop's location mapping with what Shopify lists now, atomically. */
export async function replaceLocations(
  db: Database,
  shop: string,
  locations: { code: string; id: string }[],
  now = Date.now(),
): Promise<void> {
  const rows = locations.map((location) => ({
    shop,
    locationCode: location.code,
    shopifyLocationId: location.id,
    refreshedAt: now,
  }));
  const inserts = [];
  for (let start = 0; start < rows.length; start += 20) {
    inserts.push(db.insert(inventoryLocationMap).values(rows.slice(start, start + 20)));
  }
  await db.batch([
    db.delete(inventoryLocationMap).where(eq(inventoryLocationMap.shop, shop)),
    ...inserts,
  ]);
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}

/** When the shop's location mapping was last replaced (epoch ms), or null if never. */
export async function locationsRefreshedAt(db: Database, shop: string): Promise<number | null> {
  const [row] = await db
    .select({ at: sql<number | null>`MAX(${inventoryLocationMap.refreshedAt})` })
    .from(inventoryLocationMap)
    .where(eq(inventoryLocationMap.shop, shop));
  return row?.at ?? null;
}
