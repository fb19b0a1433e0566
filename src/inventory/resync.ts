import type { Database } from "../db/client";
import { listMappedSkus } from "../db/inventory-mapping";
import { RetryableError } from "../queues/errors";
import type { AdminContext } from "../shopify/admin/run-operation";
import { waitingForBudget } from "./drift/wait-for-budget";
import { STOCK_FAN_OUT, settleConcurrently } from "./fan-out";
import { refreshShopMapping } from "./mapping";
import { stockObject } from "./push/message";
import { pushShop, type ShopPushSummary } from "./push/send";

/** What a resync did. */
export interface ShopResync {
  shop: string;
  mapping: Awaited<ReturnType<typeof refreshShopMapping>>;
  push: ShopPushSummary;
}

/**
 * The on-demand full re-sync (backfill) of a shop: refreshes the SKU and location mapping,
 * makes every mapped SKU's object forget what Shopify last confirmed, and pushes every
 * location's ATS through the normal push path, ≤ 250 quantities per mutation, with
 * `changeFromQuantity: null` (Shopify is set outright, as on a first push). Safe to repeat.
 * @throws {RetryableError} when an object or Shopify is unavailable; SKUs whose objects
 *   already forgot are pushed by the repeat (or their next change).
 */
export async function resyncShop(
  ctx: AdminContext & { db: Database },
  shop: string,
): Promise<ShopResync> {
  const mapping = await waitingForBudget(() => refreshShopMapping(ctx, ctx.db, shop));
  const skus = await listMappedSkus(ctx.db, shop);

  const forgotten = await settleConcurrently(skus, STOCK_FAN_OUT, (sku) =>
    stockObject(ctx.env, shop, sku).forgetConfirmed(),
  );
  const failed = forgotten.findIndex((result) => result.status === "rejected");
  if (failed >= 0) {
    const result = forgotten[failed];
    throw new RetryableError("stock_unavailable", `stock object for ${skus[failed]} failed`, {
      cause: result?.status === "rejected" ? result.reason : undefined,
    });
  }

  // TODO(soon): past a few thousand SKUs, hand slices to INVENTORY_PUSH_QUEUE instead of
  // pushing inline: each SKU costs three object calls and a Worker invocation has a cap.
  // Every resync is a new operation: a key of its own, or Shopify would replay an earlier
  // push of the same numbers without applying it.
  const salt = crypto.randomUUID();
  const push = await waitingForBudget(() => pushShop(ctx, shop, skus, salt));
  return { shop, mapping, push };
}
