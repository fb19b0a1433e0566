import type { Database } from "../../db/client";
import { RetryableError } from "../../queues/errors";
import type { AdminContext } from "../../shopify/admin/run-operation";
import { STOCK_FAN_OUT, settleConcurrently } from "../fan-out";
import { stockObject } from "../push/message";
import { pushShop, type ShopPushSummary } from "../push/send";
import type { DriftFinding } from "./classify";
import { waitingForBudget } from "./wait-for-budget";

/**
 * Sends the hub's ATS for the findings the check may correct through the normal push path.
 * A `corrected` pair first tells its object what Shopify shows now, so the push plan
 * holds it and its `changeFromQuantity` is Shopify's value; a `push_owed` pair is already
 * in its object's plan. A stale compare-and-set (Shopify moved since the read) is
 * recovered by the push path as always. Returns null when there was nothing to send.
 * Idempotency keys carry `runId`, so a later night's identical correction is applied.
 * @throws {RetryableError} when an object or Shopify is unavailable.
 */
export async function correctDrift(
  ctx: AdminContext & { db: Database },
  shop: string,
  runId: string,
  findings: DriftFinding[],
): Promise<ShopPushSummary | null> {
  const pushed = findings.filter((finding) => finding.action !== "alerted");
  if (pushed.length === 0) return null;

  const observed = new Map<string, { locationId: string; quantity: number }[]>();
  for (const finding of pushed) {
    if (finding.action !== "corrected" || finding.shopify === null) continue;
    const list = observed.get(finding.sku) ?? [];
    list.push({ locationId: finding.locationId, quantity: finding.shopify });
    observed.set(finding.sku, list);
  }
  const recorded = await settleConcurrently([...observed], STOCK_FAN_OUT, ([sku, seen]) =>
    stockObject(ctx.env, shop, sku).confirmPushed(seen),
  );
  const failed = recorded.find((result) => result.status === "rejected");
  if (failed?.status === "rejected") {
    throw new RetryableError("stock_unavailable", "could not record Shopify's quantities", {
      cause: failed.reason,
    });
  }

  const skus = [...new Set(pushed.map((finding) => finding.sku))];
  // Keyed by the run: an earlier push of the same numbers must not be replayed instead.
  return waitingForBudget(() => pushShop(ctx, shop, skus, runId));
}
