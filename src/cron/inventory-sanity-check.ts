import { checkShopInventory } from "../inventory/drift/check-shop";
import { forEachShop, isShopFailure } from "./each-shop";
import { type CronContext, CronJobFailed } from "./job";

/**
 * The nightly inventory sanity check, for every shop in SHOPS: Shopify's `available`
 * against the hub's ATS, drift recorded in `inventory_drift`, corrected within
 * INVENTORY_DRIFT_TOLERANCE and ticketed above it (docs/inventory.md). Shops are
 * independent; the run fails, with every shop's result, when one of them failed.
 */
export async function checkInventoryDrift(ctx: CronContext) {
  const tolerance = ctx.settings.INVENTORY_DRIFT_TOLERANCE;
  const shops = await forEachShop(ctx, async (shopCtx, shop) => {
    const summary = await checkShopInventory(shopCtx, shop, tolerance);
    shopCtx.logger.info("inventory sanity check done", { ...summary });
    return summary;
  });

  const failed = shops.filter(isShopFailure);
  if (failed.length > 0) {
    throw new CronJobFailed(`inventory sanity check failed for ${failed.length} shop(s)`, {
      shops,
    });
  }
  return { tolerance, shops };
}
