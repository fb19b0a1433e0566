import { reconcileShopOrders, type ShopReconciliation } from "../orders/reconcile";
import { forEachShop, isShopFailure, type ShopOutcome } from "./each-shop";
import { type CronContext, CronJobFailed } from "./job";

/**
 * The reconciliation of missed order webhooks, for every shop in SHOPS. Shops are
 * independent; the run is recorded as failed, with every shop's result, when a shop threw
 * or stopped at a permanent failure. A shop that stopped at a retryable one (throttled,
 * Shopify unreachable) carries on at the next run and does not fail this one.
 */
export async function reconcileMissedOrders(
  ctx: CronContext,
): Promise<{ shops: ShopOutcome<ShopReconciliation>[] }> {
  const shops = await forEachShop(ctx, async (shopCtx, shop) => {
    const result = await reconcileShopOrders(shopCtx, shop);
    shopCtx.logger.info("orders reconciled", {
      listed: result.listed,
      fed: result.fed.length,
      watermark: result.watermark,
      complete: result.complete,
    });
    return result;
  });

  const failed = shops.filter(
    (outcome) =>
      isShopFailure(outcome) ||
      ("failed" in outcome && outcome.failed !== undefined && !outcome.failed.retryable),
  );
  if (failed.length > 0) {
    throw new CronJobFailed(`${failed.length} shop(s) not fully reconciled`, { shops });
  }
  return { shops };
}
