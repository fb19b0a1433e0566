import { recordMetric } from "./record";

/**
 * Named entry points for the inventory, pricing and reconciliation modules, so each call
 * site stays one line and the metric names and dimensions live in one place. Like
 * `recordMetric`, none of them throws.
 */

/** A stock change reached Shopify: `lagMs` from the change in the hub to Shopify's ack. */
export function recordAtsPropagation(
  env: Cloudflare.Env,
  sample: { shop: string; lagMs: number; source?: string; outcome?: "pushed" | "failed" },
): void {
  recordMetric(env, {
    name: "inventory.ats_propagation",
    value: Math.max(0, sample.lagMs),
    dimensions: { shop: sample.shop, source: sample.source, outcome: sample.outcome ?? "pushed" },
  });
}

/** The hub and Shopify disagree on an item's quantity by `drift` units (sign ignored). */
export function recordInventoryDrift(
  env: Cloudflare.Env,
  sample: { shop: string; drift: number; source?: string },
): void {
  recordMetric(env, {
    name: "inventory.drift",
    value: Math.abs(sample.drift),
    dimensions: { shop: sample.shop, source: sample.source },
  });
}

/** One cart's prices were resolved in `durationMs`; the cart resolve SLO reads this. */
export function recordPriceResolution(
  env: Cloudflare.Env,
  sample: { shop: string; durationMs: number; source?: string; outcome?: "resolved" | "failed" },
): void {
  recordMetric(env, {
    name: "pricing.resolve",
    value: Math.max(0, sample.durationMs),
    dimensions: { shop: sample.shop, source: sample.source, outcome: sample.outcome ?? "resolved" },
  });
}

/**
 * A price-book hydration (pull and publish) ended. The "price lists live nightly" SLO looks
 * for the latest `succeeded` one.
 */
export function recordPriceHydration(
  env: Cloudflare.Env,
  sample: { shop: string; outcome: "succeeded" | "failed" },
): void {
  recordMetric(env, {
    name: "pricing.hydration",
    value: 1,
    dimensions: { shop: sample.shop, outcome: sample.outcome },
  });
}

/** A reconciliation job checked `count` items with this `outcome` (matched, repaired, drift). */
export function recordReconciliationResult(
  env: Cloudflare.Env,
  sample: { shop: string; job: string; outcome: string; count: number },
): void {
  recordMetric(env, {
    name: "reconciliation.result",
    value: sample.count,
    dimensions: { shop: sample.shop, job: sample.job, outcome: sample.outcome },
  });
}
