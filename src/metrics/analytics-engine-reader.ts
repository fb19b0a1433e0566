import { z } from "zod";
import type { Settings } from "../config/settings";
import { RetryableError } from "../queues/errors";
import { parseRetryAfter } from "../queues/retry-policy";
import { lastSeenSql, seriesSql, totalsSql } from "./analytics-engine-sql";
import { DIMENSION_KEYS, type MetricDimensions } from "./catalog";
import {
  emptyPoint,
  type MetricsReader,
  type Series,
  type SeriesPoint,
  type SeriesQuery,
  stepStarts,
} from "./reader";

// Analytics Engine answers 64-bit integers as JSON strings; numbers may come either way.
const num = z.coerce.number();
const nullableNum = z
  .union([z.null(), z.coerce.number()])
  .transform((v) => (Number.isFinite(v) ? v : null));

/** `FORMAT JSON` output of the SQL API: rows under `data`. */
const SqlResponseSchema = z.object({ data: z.array(z.record(z.string(), z.unknown())) });

const SeriesRowSchema = z.object({
  t: z.string(),
  count: num,
  sum: num,
  min: nullableNum,
  max: nullableNum,
  p50: nullableNum,
  p95: nullableNum,
  p99: nullableNum,
});
const TotalsRowSchema = z.object({ count: num, sum: num, atMost: num });
const LastSeenRowSchema = z.object({ n: num, last: z.string() });

/**
 * Queries the `METRICS` dataset through the Analytics Engine SQL API
 * (ANALYTICS_SQL_URL, bearer ANALYTICS_API_TOKEN). Counts and sums are sample-weighted
 * estimates; quantiles come from `quantileExactWeighted` over the sampled rows.
 */
export function analyticsEngineReader(settings: Settings): MetricsReader {
  const dataset = settings.METRICS_DATASET;
  return {
    async series(query) {
      const rows = await runSql(settings, seriesSql(dataset, query));
      const parsed = rows.map((row) => ({
        ...parseRow(SeriesRowSchema, row),
        dimensions: rowDimensions(row, query),
      }));
      return toSeries(parsed, query);
    },
    async totals(scope, threshold) {
      const [row] = await runSql(settings, totalsSql(dataset, scope, threshold));
      const totals = row ? parseRow(TotalsRowSchema, row) : { count: 0, sum: 0, atMost: 0 };
      return { ...totals, atMost: threshold === undefined ? null : totals.atMost };
    },
    async lastSeen(scope) {
      const [row] = await runSql(settings, lastSeenSql(dataset, scope));
      const parsed = row ? parseRow(LastSeenRowSchema, row) : undefined;
      return parsed && parsed.n > 0 ? parseAnalyticsTime(parsed.last) : undefined;
    },
  };
}

async function runSql(settings: Settings, query: string): Promise<Record<string, unknown>[]> {
  if (!settings.ANALYTICS_ACCOUNT_ID || !settings.ANALYTICS_API_TOKEN) {
    throw new RetryableError(
      "metrics_reader_unconfigured",
      "METRICS_SINK is analytics-engine but ANALYTICS_ACCOUNT_ID or ANALYTICS_API_TOKEN is not set",
    );
  }
  const url = settings.ANALYTICS_SQL_URL.replaceAll("{account_id}", settings.ANALYTICS_ACCOUNT_ID);

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.ANALYTICS_API_TOKEN}` },
      body: query,
      signal: AbortSignal.timeout(settings.CONNECTOR_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (cause) {
    throw new RetryableError("analytics_sql_unreachable", "Analytics Engine SQL API unreachable", {
      cause,
    });
  }
  if (!response.ok) {
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    throw new RetryableError(
      "analytics_sql_failed",
      `Analytics Engine SQL API answered ${response.status}: ${text.slice(0, 200)}`,
      retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter },
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RetryableError("analytics_sql_malformed", "Analytics Engine answer is not JSON", {
      cause,
    });
  }
  const parsed = SqlResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new RetryableError("analytics_sql_malformed", "Analytics Engine answer has no data", {
      cause: parsed.error,
    });
  }
  return parsed.data.data;
}

function parseRow<O extends object>(schema: z.ZodType<O>, row: Record<string, unknown>): O {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    throw new RetryableError("analytics_sql_malformed", z.prettifyError(parsed.error), {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The `groupBy` values of a row; the query selects each as a column named by its key. */
function rowDimensions(row: Record<string, unknown>, query: SeriesQuery): MetricDimensions {
  const dimensions: MetricDimensions = {};
  for (const key of query.groupBy) {
    const value = row[key];
    dimensions[key] = typeof value === "string" ? value : "";
  }
  return dimensions;
}

function toSeries(
  rows: (z.infer<typeof SeriesRowSchema> & { dimensions: MetricDimensions })[],
  query: SeriesQuery,
): Series[] {
  const bySeries = new Map<
    string,
    { dimensions: MetricDimensions; points: Map<number, SeriesPoint> }
  >();
  for (const row of rows) {
    const key = JSON.stringify(DIMENSION_KEYS.map((name) => row.dimensions[name] ?? null));
    const series = bySeries.get(key) ?? { dimensions: row.dimensions, points: new Map() };
    bySeries.set(key, series);
    const t = parseAnalyticsTime(row.t);
    series.points.set(t, {
      t: new Date(t).toISOString(),
      count: row.count,
      sum: row.sum,
      avg: row.count > 0 ? row.sum / row.count : null,
      min: row.min,
      max: row.max,
      p50: row.p50,
      p95: row.p95,
      p99: row.p99,
    });
  }

  const starts = stepStarts(query.since, query.until, query.stepSeconds);
  return [...bySeries.values()].map((series) => ({
    dimensions: series.dimensions,
    points: starts.map((t) => series.points.get(t) ?? emptyPoint(t)),
  }));
}

/** Analytics Engine prints DateTime as `YYYY-MM-DD hh:mm:ss` in UTC. */
function parseAnalyticsTime(value: string): number {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
    ? `${value.replace(" ", "T")}Z`
    : value;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    throw new RetryableError("analytics_sql_malformed", `unreadable timestamp "${value}"`);
  }
  return at;
}
