import { Hono } from "hono";
import { z } from "zod";
import {
  DIMENSION_KEYS,
  METRIC_CATALOG,
  METRIC_NAMES,
  MetricNameSchema,
} from "../../metrics/catalog";
import { DimensionFilterSchema, GroupBySchema } from "../../metrics/dimensions";
import { RELATIVE_ACCURACY } from "../../metrics/histogram";
import { alignToStep, metricsReader } from "../../metrics/reader";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { unavailable } from "./metrics-unavailable";

/** The longest range one query may cover, and the most points one series may hold. */
const MAX_RANGE_MS = 31 * 86_400_000;
const MAX_POINTS = 1_440;
/** Points a series gets when `step` is left out. */
const DEFAULT_POINTS = 120;
const MINUTE = 60;

const SeriesQuerySchema = z.object({
  name: MetricNameSchema,
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Seconds, a whole number of minutes (rollups are per minute). */
  step: z.coerce
    .number()
    .int()
    .min(MINUTE)
    .refine((step) => step % MINUTE === 0, "must be a multiple of 60")
    .optional(),
  dims: DimensionFilterSchema,
  groupBy: GroupBySchema,
});

/**
 * `/admin/api/metrics`: time series of one metric per step, and the catalog of metrics.
 * Reads D1 rollups or Analytics Engine, whichever METRICS_SINK says (docs/api.md).
 */
export const metricRoutes = new Hono<AdminEnv>();

metricRoutes.get("/catalog", requireScope("read"), (c) =>
  c.json({
    sink: c.var.settings.METRICS_SINK,
    quantileRelativeAccuracy: RELATIVE_ACCURACY,
    dimensions: DIMENSION_KEYS,
    items: METRIC_NAMES.map((name) => ({ name, ...METRIC_CATALOG[name] })),
  }),
);

metricRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(SeriesQuerySchema, c.req.query(), "query");
  const until = query.until ? Date.parse(query.until) : Date.now();
  const requestedSince = query.since ? Date.parse(query.since) : until - 3_600_000;
  if (requestedSince >= until) {
    throw new ProblemError(400, "invalid_range", "since must be before until");
  }
  if (until - requestedSince > MAX_RANGE_MS) {
    throw new ProblemError(400, "invalid_range", "Range too long", "At most 31 days a query.");
  }

  const step = query.step ?? autoStep(until - requestedSince);
  const since = alignToStep(requestedSince, step);
  const points = Math.ceil((until - since) / (step * 1000));
  if (points > MAX_POINTS) {
    throw new ProblemError(
      400,
      "invalid_range",
      "Too many points",
      `${points} steps of ${step} s; at most ${MAX_POINTS}. Use a longer step.`,
    );
  }

  const reader = metricsReader(c.env, c.var.settings);
  const series = await reader
    .series({
      name: query.name,
      since,
      until,
      stepSeconds: step,
      filter: query.dims,
      groupBy: query.groupBy,
    })
    .catch(unavailable);
  return c.json({
    name: query.name,
    unit: METRIC_CATALOG[query.name].unit,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    stepSeconds: step,
    filter: query.dims,
    groupBy: query.groupBy,
    series,
  });
});

/** A step (whole minutes) that gives about DEFAULT_POINTS points over `rangeMs`. */
function autoStep(rangeMs: number): number {
  return Math.max(MINUTE, Math.ceil(rangeMs / 1000 / DEFAULT_POINTS / MINUTE) * MINUTE);
}
