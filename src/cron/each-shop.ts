import { PermanentError } from "../queues/errors";
import type { CronContext } from "./job";

/** A shop's result, or why it has none. */
export type ShopOutcome<T> = T | { shop: string; skipped: "no_admin_token" } | ShopFailure;
export interface ShopFailure {
  shop: string;
  error: string;
}

/**
 * Runs `work` for every shop in SHOPS, one after another, each with a logger carrying the
 * shop. A shop the hub holds no Admin API token for is skipped; a shop that throws is
 * recorded with its error and the others still run.
 */
export async function forEachShop<T>(
  ctx: CronContext,
  work: (ctx: CronContext, shop: string) => Promise<T>,
): Promise<ShopOutcome<T>[]> {
  const outcomes: ShopOutcome<T>[] = [];
  for (const shop of ctx.settings.SHOPS) {
    const logger = ctx.logger.with({ shop });
    try {
      outcomes.push(await work({ ...ctx, logger }, shop));
    } catch (error) {
      if (error instanceof PermanentError && error.code === "missing_admin_token") {
        logger.warn("shop skipped: no Admin API token");
        outcomes.push({ shop, skipped: "no_admin_token" });
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      logger.warn("scheduled work failed for shop", { errorMessage: message });
      outcomes.push({ shop, error: message });
    }
  }
  return outcomes;
}

export function isShopFailure(outcome: unknown): outcome is ShopFailure {
  return typeof outcome === "object" && outcome !== null && "error" in outcome;
}
