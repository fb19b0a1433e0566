import {
  reconcileShopPayouts,
  type ShopPayoutReconciliation,
} from "../orders/payout-reconciliation";
import { forEachShop, isShopFailure, type ShopOutcome } from "./each-shop";
import { type CronContext, CronJobFailed } from "./job";

/**
 * The nightly payout reconciliation, for every shop in SHOPS. Shops are independent; any
 * shop that failed marks the run failed, with every shop's result in the summary.
 * Mismatches are findings, not failures.
 */
export async function reconcilePayouts(
  ctx: CronContext,
): Promise<{ shops: ShopOutcome<ShopPayoutReconciliation>[] }> {
  const shops = await forEachShop(ctx, reconcileShopPayouts);

  const failed = shops.filter(isShopFailure);
  if (failed.length > 0) {
    throw new CronJobFailed(`payout reconciliation failed for ${failed.length} shop(s)`, {
      shops,
    });
  }
  return { shops };
}
