import { shopsBehindOnPush } from "../db/price-list-sync";
import { pushShopPriceLists, type ShopPushSummary } from "../pricing/shopify-push/push";
import { PermanentError } from "../queues/errors";
import type { CronContext } from "./job";

/** A shop's push result, or why it has none. */
export type ShopPushOutcome = ShopPushSummary | { shop: string; error: string; code?: string };

/**
 * The push step of the price-book crons (docs/pricing.md "Shopify B2B price lists"): pushes
 * the mapped contract lists of `shops` (default: every shop whose mapping lags its book
 * version) to Shopify. A throttled shop resumes on the next five-minute sweep; a shop that
 * fails permanently (revoked token, GraphQL error) is reported and the others still run.
 */
export async function pushPriceListsStep(
  ctx: CronContext,
  options: { shops?: readonly string[]; retryFailed?: boolean } = {},
): Promise<ShopPushOutcome[]> {
  const shops = options.shops ?? (await shopsBehindOnPush(ctx.db));
  const outcomes: ShopPushOutcome[] = [];
  for (const shop of shops) {
    const logger = ctx.logger.with({ shop });
    try {
      const summary = await pushShopPriceLists(
        { env: ctx.env, settings: ctx.settings, logger, db: ctx.db },
        shop,
        { retryFailed: options.retryFailed ?? false },
      );
      outcomes.push(summary);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error("price list push failed", { errorMessage: message });
      outcomes.push({
        shop,
        error: message,
        ...(error instanceof PermanentError ? { code: error.code } : {}),
      });
    }
  }
  return outcomes;
}
