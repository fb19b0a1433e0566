import { refreshShopMapping } from "../inventory/mapping";
import { forEachShop, isShopFailure } from "./each-shop";
import { type CronContext, CronJobFailed } from "./job";

/**
 * The nightly refresh of the SKU and location mapping to Shopify ids, for every shop:
 * locations are re-listed, cached SKUs looked up again (forgotten when Shopify no longer
 * has exactly one item for them). New SKUs are mapped on their first push. Idempotent.
 */
export async function refreshInventoryMapping(ctx: CronContext) {
  const shops = await forEachShop(ctx, (shopCtx, shop) =>
    refreshShopMapping(shopCtx, shopCtx.db, shop).then((summary) => ({ shop, ...summary })),
  );

  const failed = shops.filter(isShopFailure);
  if (failed.length > 0) {
    throw new CronJobFailed(`inventory mapping refresh failed for ${failed.length} shop(s)`, {
      shops,
    });
  }
  return { shops };
}
