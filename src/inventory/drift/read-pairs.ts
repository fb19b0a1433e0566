import type { Database } from "../../db/client";
import { listItemMappings } from "../../db/inventory-drift";
import { findLocationIds } from "../../db/inventory-mapping";
import { RetryableError } from "../../queues/errors";
import {
  ITEMS_PER_LEVEL_READ,
  readAvailableAtLocation,
} from "../../shopify/admin/inventory-levels";
import type { AdminContext } from "../../shopify/admin/run-operation";
import { STOCK_FAN_OUT, settleConcurrently } from "../fan-out";
import type { LocationCheck } from "../operations";
import { stockObject } from "../push/message";
import type { PairReading } from "./classify";
import { waitingForBudget } from "./wait-for-budget";

/** A pair the hub and Shopify both know, with the Shopify ids to read it by. */
interface MappedPair extends Omit<PairReading, "shopify"> {
  inventoryItemId: string;
  shopifyLocationId: string;
}

/**
 * Reads every mapped SKU of a shop at every mapped location its object holds: the hub's
 * ATS, last confirmed value and OMS snapshot from the objects, and Shopify's `available`
 * (250 items per query, per location). Locations the OMS never reported for a SKU are not
 * the hub's to check and are left out, as are SKUs and locations without a mapping.
 * @throws {RetryableError} `stock_unavailable` when an object does not answer, and what
 *   the Admin API throws once its waits run out.
 */
export async function readShopPairs(
  ctx: AdminContext & { db: Database },
  shop: string,
): Promise<PairReading[]> {
  const items = await listItemMappings(ctx.db, shop);
  const locations = await findLocationIds(ctx.db, shop);
  const pairs = await readHubPairs(ctx.env, shop, items, locations);

  const byLocation = new Map<string, MappedPair[]>();
  for (const pair of pairs) {
    const list = byLocation.get(pair.shopifyLocationId) ?? [];
    list.push(pair);
    byLocation.set(pair.shopifyLocationId, list);
  }

  const readings: PairReading[] = [];
  for (const [shopifyLocationId, list] of byLocation) {
    for (let start = 0; start < list.length; start += ITEMS_PER_LEVEL_READ) {
      const chunk = list.slice(start, start + ITEMS_PER_LEVEL_READ);
      const shown = await waitingForBudget(() =>
        readAvailableAtLocation(
          ctx,
          shop,
          shopifyLocationId,
          chunk.map((pair) => pair.inventoryItemId),
        ),
      );
      for (const { inventoryItemId, shopifyLocationId: _id, ...pair } of chunk) {
        readings.push({ ...pair, shopify: shown.get(inventoryItemId) ?? null });
      }
    }
  }
  return readings;
}

async function readHubPairs(
  env: Cloudflare.Env,
  shop: string,
  items: Map<string, string>,
  locations: Map<string, string>,
): Promise<MappedPair[]> {
  const skus = [...items.keys()];
  const views = await settleConcurrently(skus, STOCK_FAN_OUT, (sku) =>
    stockObject(env, shop, sku).checkView(),
  );

  return views.flatMap((view, index) => {
    const sku = skus[index] ?? "";
    if (view.status === "rejected") {
      throw new RetryableError("stock_unavailable", `stock object for ${sku} failed`, {
        cause: view.reason,
      });
    }
    const inventoryItemId = items.get(sku);
    if (!view.value || !inventoryItemId) return [];
    return view.value.locations.flatMap((location: LocationCheck) => {
      const shopifyLocationId = locations.get(location.locationId);
      if (!shopifyLocationId) return [];
      return [
        {
          sku,
          locationId: location.locationId,
          hub: location.available,
          lastConfirmed: location.shopifyAvailable,
          omsSnapshot: location.omsSnapshot,
          inventoryItemId,
          shopifyLocationId,
        },
      ];
    });
  });
}
