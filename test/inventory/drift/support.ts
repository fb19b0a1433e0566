import { env } from "cloudflare:workers";
import { openDatabase } from "../../../src/db/client";
import {
  alerts,
  inventoryDrift,
  inventoryDriftRuns,
  inventoryItemMap,
  inventoryLocationMap,
} from "../../../src/db/schema";
import { toStockUpdate } from "../../../src/inventory/operations";
import { consume } from "../../support/consume";
import { freshSku, seedShopifyInventory, snapshot, stockOf } from "../../support/inventory";
import { SHOP } from "../../support/webhooks";

/** The stand-in's one location, which answers to the OMS code WH1. */
export const LOCATION = { legacyResourceId: "71", name: "Main warehouse", code: "WH1" };

let nextLegacyId = 900_000;

/** A SKU the hub stocks at WH1 and has pushed, so hub and Shopify agree. */
export interface SyncedSku {
  sku: string;
  legacyId: string;
}

/**
 * SKUs with `onHand(i)` at WH1 in the hub, known to the stand-in, mapped and pushed by
 * the push consumer: afterwards Shopify shows each SKU's ATS and the hub knows it does.
 */
export async function syncedSkus(count: number, onHand: (index: number) => number) {
  const synced: SyncedSku[] = Array.from({ length: count }, () => {
    nextLegacyId += 1;
    return { sku: freshSku("DRIFT"), legacyId: String(nextLegacyId) };
  });
  await seedShopifyInventory({
    locations: [LOCATION],
    items: synced.map(({ sku, legacyId }) => ({ legacyResourceId: legacyId, sku })),
  });
  await Promise.all(
    synced.map(({ sku }, index) => {
      const { stub, key } = stockOf(sku);
      return stub.applyUpdates(key, [toStockUpdate(snapshot(sku, onHand(index), 1))]);
    }),
  );
  const result = await consume(
    "hub-inventory-push",
    synced.map(({ sku }) => ({
      id: `push-${sku}`,
      attempts: 1,
      body: { version: 1, shop: SHOP, sku, changedAt: Date.now() },
    })),
  );
  if (result.explicitAcks.length !== count) throw new Error("the setup push did not go through");
  return synced;
}

/** Shopify's `available` changes behind the hub's back (an admin edit, another app). */
export async function shopifyShows(item: SyncedSku, available: number): Promise<void> {
  await seedShopifyInventory({
    items: [
      {
        legacyResourceId: item.legacyId,
        sku: item.sku,
        available: { [LOCATION.legacyResourceId]: available },
      },
    ],
  });
}

/** The sanity check reads every mapped SKU of the shop: start each test from none. */
export async function forgetInventoryRecords(): Promise<void> {
  const db = openDatabase(env.DB);
  await db.batch([
    db.delete(inventoryItemMap),
    db.delete(inventoryLocationMap),
    db.delete(inventoryDrift),
    db.delete(inventoryDriftRuns),
    db.delete(alerts),
  ]);
}
