import { z } from "zod";
import { DimensionKeySchema, MetricNameSchema } from "../metrics/catalog";
import { DimensionValueSchema } from "../metrics/dimensions";

const SloBase = z.object({
  /** Stable identifier, used in URLs and alert keys. */
  id: z.string().regex(/^[a-z0-9-]{1,60}$/, "lowercase letters, digits and dashes"),
  title: z.string().min(1).max(200),
  /** Which part of the hub the SLO is about; the console groups tiles by it. */
  area: z.enum(["orders", "inventory", "pricing"]),
  metric: MetricNameSchema,
  /** Only observations with these dimension values count. */
  filter: z.partialRecord(DimensionKeySchema, DimensionValueSchema).default({}),
});

/** At least `target` of observations are at most `maxValue` (a latency objective). */
const ThresholdSloSchema = SloBase.extend({
  kind: z.literal("threshold"),
  maxValue: z.number().positive(),
  target: z.number().gt(0).lt(1),
});

/** At least `target` of finished events end in a good outcome (the `outcome` dimension). */
const EventsSloSchema = SloBase.extend({
  kind: z.literal("events"),
  goodOutcomes: z.array(DimensionValueSchema).min(1),
  badOutcomes: z.array(DimensionValueSchema).min(1),
  target: z.number().gt(0).lt(1),
});

/** The newest matching observation is at most `maxAgeSeconds` old (a freshness objective). */
const FreshnessSloSchema = SloBase.extend({
  kind: z.literal("freshness"),
  maxAgeSeconds: z.number().int().positive(),
});

export const SloDefinitionSchema = z.discriminatedUnion("kind", [
  ThresholdSloSchema,
  EventsSloSchema,
  FreshnessSloSchema,
]);
export type SloDefinition = z.infer<typeof SloDefinitionSchema>;

export const SloConfigSchema = z
  .array(SloDefinitionSchema)
  .refine((slos) => new Set(slos.map((slo) => slo.id)).size === slos.length, {
    message: "SLO ids must be unique",
  });

/** The seed objectives from the operations brief (issue 6); SLO_CONFIG replaces them. */
export const DEFAULT_SLOS: z.input<typeof SloConfigSchema> = [
  {
    id: "orders-export-lag",
    title: "99% of orders exported within 60 s",
    area: "orders",
    kind: "threshold",
    metric: "order.export.lag",
    filter: { effect: "create" },
    maxValue: 60_000,
    target: 0.99,
  },
  {
    id: "orders-manual-intervention",
    title: "Fewer than 0.1% of order events need manual intervention",
    area: "orders",
    kind: "events",
    metric: "queue.message",
    filter: { domain: "orders" },
    goodOutcomes: ["acked"],
    badOutcomes: ["dead_lettered"],
    target: 0.999,
  },
  {
    id: "inventory-ats-propagation",
    title: "95% of ATS updates reach Shopify within 2 min",
    area: "inventory",
    kind: "threshold",
    metric: "inventory.ats_propagation",
    filter: { outcome: "pushed" },
    maxValue: 120_000,
    target: 0.95,
  },
  {
    id: "pricing-nightly-hydration",
    title: "Price lists hydrated within the last 26 h",
    area: "pricing",
    kind: "freshness",
    metric: "pricing.hydration",
    filter: { outcome: "succeeded" },
    maxAgeSeconds: 26 * 3600,
  },
  {
    id: "pricing-cart-resolve",
    title: "Cart price resolution p95 under 300 ms",
    area: "pricing",
    kind: "threshold",
    metric: "pricing.resolve",
    filter: {},
    maxValue: 300,
    target: 0.95,
  },
];
