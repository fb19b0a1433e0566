import type { ThrottleStatus } from "./graphql-response";

/**
 * The hub's mirror of Shopify's cost-based leaky bucket for one app on one shop. Pure
 * arithmetic over an explicit clock; the ShopApiBudget Durable Object persists it.
 *
 * `available` may go below zero: a reservation granted with a wait borrows points that
 * restore before the caller sends its request, and every later caller queues behind it.
 */
export interface CostBucket {
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
  available: number;
  updatedAtMs: number;
  /** When Shopify last reported its throttleStatus; null while running on defaults. */
  reportedAtMs: number | null;
}

/**
 * Defaults until Shopify reports the real figures: the Standard plan restores 100 points a
 * second into a 2,000-point bucket (Advanced 200/s, Plus 1,000/s). A single query may cost
 * at most 1,000 points.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */
export const STANDARD_PLAN_LIMIT = { maximumAvailable: 2000, restoreRate: 100 } as const;

/** What Shopify said about one request, from `extensions.cost`. */
export interface CostReport {
  /** Points actually charged; 0 for a throttled request, absent when unknown. */
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

export type Reservation = { granted: true; waitMs: number } | { granted: false; waitMs: number };

export function freshBucket(nowMs: number): CostBucket {
  return {
    maximumAvailable: STANDARD_PLAN_LIMIT.maximumAvailable,
    restoreRate: STANDARD_PLAN_LIMIT.restoreRate,
    available: STANDARD_PLAN_LIMIT.maximumAvailable,
    updatedAtMs: nowMs,
    reportedAtMs: null,
  };
}

/** The bucket as of `nowMs`, refilled at the restore rate up to its size. */
export function restore(bucket: CostBucket, nowMs: number): CostBucket {
  const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
  const available = Math.min(
    bucket.maximumAvailable,
    bucket.available + elapsedSeconds * bucket.restoreRate,
  );
  return { ...bucket, available, updatedAtMs: Math.max(nowMs, bucket.updatedAtMs) };
}

/**
 * Takes `cost` points for a request. Granted when the points are there now or will be
 * within `maxWaitMs` (`waitMs` says how long the caller must wait before sending); refused,
 * leaving the bucket untouched, when the wait would be longer.
 */
export function reserve(
  bucket: CostBucket,
  cost: number,
  maxWaitMs: number,
  nowMs: number,
): { bucket: CostBucket; reservation: Reservation } {
  const current = restore(bucket, nowMs);
  // A request larger than the whole bucket could never be granted; Shopify caps a single
  // query at 1,000 points, so treat it as needing a full bucket instead of waiting forever.
  const need = Math.min(cost, current.maximumAvailable);
  const after = current.available - need;
  const waitMs = after >= 0 ? 0 : Math.ceil((-after / current.restoreRate) * 1000);

  if (waitMs > maxWaitMs) return { bucket: current, reservation: { granted: false, waitMs } };
  return { bucket: { ...current, available: after }, reservation: { granted: true, waitMs } };
}

/**
 * Corrects the bucket after Shopify answered a request reserved at `estimatedCost`: refunds
 * the difference to the actual cost, adopts Shopify's bucket size and restore rate, and
 * never believes it has more points than Shopify says are left. Shopify's figure is
 * ignored when it is higher, because reservations still in flight are not in it yet.
 */
export function settle(
  bucket: CostBucket,
  estimatedCost: number,
  report: CostReport,
  nowMs: number,
): CostBucket {
  const current = restore(bucket, nowMs);
  const refund = report.actualQueryCost == null ? 0 : estimatedCost - report.actualQueryCost;
  const status = report.throttleStatus;

  if (!status) {
    return {
      ...current,
      available: Math.min(current.maximumAvailable, current.available + refund),
    };
  }

  // A bigger bucket than assumed (another plan) is headroom we already have.
  const growth = Math.max(0, status.maximumAvailable - current.maximumAvailable);
  const mirrored = Math.min(
    status.maximumAvailable,
    current.available + refund + growth,
    status.currentlyAvailable,
  );
  return {
    maximumAvailable: status.maximumAvailable,
    restoreRate: status.restoreRate,
    available: mirrored,
    updatedAtMs: current.updatedAtMs,
    reportedAtMs: nowMs,
  };
}
