import { z } from "zod";

/**
 * The dimensions a metric point may carry. A closed set, so the Analytics Engine sink can
 * give each one a fixed blob column (see ./analytics-engine-layout.ts) and queries can
 * filter on them. Values are short identifiers, never personal data.
 */
export const DIMENSION_KEYS = [
  "shop",
  "integration",
  "errorClass",
  "outcome",
  "topic",
  "domain",
  "job",
  "operation",
  "effect",
  "state",
  "source",
] as const;
export const DimensionKeySchema = z.enum(DIMENSION_KEYS);
export type DimensionKey = z.infer<typeof DimensionKeySchema>;

/** Longest dimension value kept; longer values are cut so one bad caller cannot bloat rows. */
export const MAX_DIMENSION_LENGTH = 100;

export type MetricDimensions = Partial<Record<DimensionKey, string>>;

export const METRIC_UNITS = ["ms", "count", "units", "seconds"] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

export interface MetricDefinition {
  unit: MetricUnit;
  description: string;
  /** The dimensions this metric is recorded with; queries may filter or group on them. */
  dimensions: readonly DimensionKey[];
}

/**
 * Every metric the hub records. `recordMetric` accepts only these names, and
 * `GET /admin/api/metrics/catalog` serves this table; docs/observability.md explains each.
 */
export const METRIC_CATALOG = {
  "webhook.latency": {
    unit: "ms",
    description: "Time from a webhook request's arrival to its answer, by outcome.",
    dimensions: ["shop", "topic", "outcome"],
  },
  "order.export.lag": {
    unit: "ms",
    description: "Shopify event time to the connector accepting the effect (the export SLO).",
    dimensions: ["shop", "integration", "effect", "outcome"],
  },
  "order.export.outcome": {
    unit: "count",
    description: "One per order effect sent to a connector: exported, pending or failed.",
    dimensions: ["shop", "integration", "effect", "outcome", "errorClass"],
  },
  "connector.call": {
    unit: "ms",
    description: "Duration of one connector call under its breaker, by outcome and error class.",
    dimensions: ["integration", "outcome", "errorClass"],
  },
  "breaker.transition": {
    unit: "count",
    description: "A circuit breaker changed state; `state` is the new state.",
    dimensions: ["integration", "state"],
  },
  "queue.message": {
    unit: "count",
    description: "One per queue message handled: acked, retried, requeued or dead_lettered.",
    dimensions: ["shop", "domain", "topic", "outcome", "errorClass"],
  },
  "dead_letters.open": {
    unit: "count",
    description: "Open dead letters per domain, sampled by the alerts cron every minute.",
    dimensions: ["domain"],
  },
  "cron.run": {
    unit: "ms",
    description: "Duration of one cron job run, by job and outcome.",
    dimensions: ["job", "outcome"],
  },
  "shopify.admin.call": {
    unit: "ms",
    description: "Duration of one Shopify Admin GraphQL operation, by outcome and error class.",
    dimensions: ["shop", "operation", "outcome", "errorClass"],
  },
  "inventory.ats_propagation": {
    unit: "ms",
    description: "Stock change in the hub to Shopify showing the new available-to-sell.",
    dimensions: ["shop", "source", "outcome"],
  },
  "inventory.drift": {
    unit: "units",
    description: "Absolute difference between the hub's and Shopify's quantity, per checked item.",
    dimensions: ["shop", "source"],
  },
  "pricing.resolve": {
    unit: "ms",
    description: "Time to resolve a cart's prices (the cart resolve SLO).",
    dimensions: ["shop", "source", "outcome"],
  },
  "pricing.hydration": {
    unit: "count",
    description: "One per price-book hydration (full pull and publish), by outcome.",
    dimensions: ["shop", "outcome"],
  },
  "reconciliation.result": {
    unit: "count",
    description:
      "Items a reconciliation job checked, by job and outcome (matched, repaired, drift).",
    dimensions: ["shop", "job", "outcome"],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRIC_CATALOG;
export const METRIC_NAMES = Object.keys(METRIC_CATALOG) as [MetricName, ...MetricName[]];
export const MetricNameSchema = z.enum(METRIC_NAMES);

/** The catalog entry of a known metric. */
export function metricDefinition(name: MetricName): MetricDefinition {
  return METRIC_CATALOG[name];
}
