import type { ShopApiBudget } from "../../durable-objects/shop-api-budget";
import { describeError, type Logger } from "../../observability/logger";
import { RetryableError } from "../../queues/errors";
import type { CostReport } from "./cost-bucket";

/**
 * The longest a caller sleeps for budget before sending. Longer waits become a
 * RetryableError so the queue delays the message instead of a consumer idling on it.
 */
export const MAX_INLINE_WAIT_MS = 3000;

type BudgetStub = DurableObjectStub<ShopApiBudget>;

/** The shop's ShopApiBudget object; one per shop, shared by every consumer. */
export function shopBudget(env: Cloudflare.Env, shop: string): BudgetStub {
  return env.SHOP_API_BUDGETS.get(env.SHOP_API_BUDGETS.idFromName(shop));
}

/**
 * Reserves `cost` points in the shop's budget, sleeping first when they restore within
 * {@link MAX_INLINE_WAIT_MS}.
 * @throws {RetryableError} `shopify_budget_exhausted` with the wait as `retryAfterSeconds`,
 *   or `shopify_budget_unavailable` when the Durable Object cannot be reached.
 */
export async function acquireBudget(
  budget: BudgetStub,
  shop: string,
  operation: string,
  cost: number,
): Promise<void> {
  let reservation: Awaited<ReturnType<BudgetStub["reserve"]>>;
  try {
    reservation = await budget.reserve(cost, MAX_INLINE_WAIT_MS);
  } catch (error) {
    throw new RetryableError(
      "shopify_budget_unavailable",
      `${operation}: budget for ${shop} unreachable`,
      {
        cause: error,
      },
    );
  }

  if (!reservation.granted) {
    throw new RetryableError(
      "shopify_budget_exhausted",
      `${operation}: ${shop} needs ${reservation.waitMs} ms to restore ${cost} Admin API points`,
      { retryAfterSeconds: Math.ceil(reservation.waitMs / 1000) },
    );
  }
  if (reservation.waitMs > 0) await sleep(reservation.waitMs);
}

/**
 * Reports what Shopify said about a request. The call already happened, so a budget that
 * cannot be reached is logged and ignored: the next answer corrects the mirror again.
 */
export async function settleBudget(
  budget: BudgetStub,
  logger: Logger,
  cost: number,
  report: CostReport,
): Promise<void> {
  try {
    await budget.settle(cost, report);
  } catch (error) {
    logger.warn("shopify budget settle failed", describeError(error));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
