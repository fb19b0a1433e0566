import { and, eq, gte, lt, max, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { metricBuckets, metricRollups } from "../db/schema";
import { RetryableError } from "../queues/errors";
import { DIMENSION_KEYS, type DimensionKey, type MetricDimensions } from "./catalog";
import { parseDimensionsKey } from "./dimensions";
import { addToBuckets, type Buckets, countAtMost, quantileOf } from "./histogram";
import {
  emptyPoint,
  type MetricScope,
  type MetricsReader,
  type Series,
  type SeriesPoint,
  type SeriesQuery,
  stepStarts,
} from "./reader";

interface Cell {
  count: number;
  sum: number;
  min: number;
  max: number;
  buckets: Buckets;
}

/**
 * Reads the per-minute rollups in D1. Counts, sums, min and max are exact; quantiles come
 * from the merged log-bucket histograms, within 5% of the true value (./histogram.ts).
 */
export function d1MetricsReader(db: Database): MetricsReader {
  return {
    series: (query) => guard(() => readSeries(db, query)),
    totals: (scope, threshold) => guard(() => readTotals(db, scope, threshold)),
    lastSeen: (scope) =>
      guard(async () => {
        const [row] = await db
          .select({ last: max(metricRollups.minute) })
          .from(metricRollups)
          .where(scopeWhere(scope, metricRollups));
        return row?.last ?? undefined;
      }),
  };
}

async function readSeries(db: Database, query: SeriesQuery): Promise<Series[]> {
  const stepMs = query.stepSeconds * 1000;
  const step = (minute: SQLiteColumn) => sql<number>`CAST(${minute} / ${stepMs} AS INTEGER)`;

  const rollupStep = step(metricRollups.minute);
  const rollups = await db
    .select({
      dims: metricRollups.dims,
      step: rollupStep,
      count: sql<number>`SUM(${metricRollups.count})`,
      sum: sql<number>`SUM(${metricRollups.sum})`,
      min: sql<number>`MIN(${metricRollups.min})`,
      max: sql<number>`MAX(${metricRollups.max})`,
    })
    .from(metricRollups)
    .where(scopeWhere(query, metricRollups))
    .groupBy(metricRollups.dims, rollupStep);

  const bucketStep = step(metricBuckets.minute);
  const buckets = await db
    .select({
      dims: metricBuckets.dims,
      step: bucketStep,
      bucket: metricBuckets.bucket,
      count: sql<number>`SUM(${metricBuckets.count})`,
    })
    .from(metricBuckets)
    .where(scopeWhere(query, metricBuckets))
    .groupBy(metricBuckets.dims, bucketStep, metricBuckets.bucket);

  // series key → step start → cell
  const cells = new Map<string, Map<number, Cell>>();
  const cellOf = (dims: string, stepIndex: number) => {
    const key = groupKey(parseDimensionsKey(dims), query.groupBy);
    const steps = cells.get(key) ?? new Map<number, Cell>();
    cells.set(key, steps);
    const t = stepIndex * stepMs;
    const cell = steps.get(t) ?? {
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      buckets: new Map(),
    };
    steps.set(t, cell);
    return cell;
  };
  for (const row of rollups) {
    const cell = cellOf(row.dims, row.step);
    cell.count += row.count;
    cell.sum += row.sum;
    cell.min = Math.min(cell.min, row.min);
    cell.max = Math.max(cell.max, row.max);
  }
  for (const row of buckets)
    addToBuckets(cellOf(row.dims, row.step).buckets, row.bucket, row.count);

  const starts = stepStarts(query.since, query.until, query.stepSeconds);
  return [...cells].map(([key, steps]) => ({
    dimensions: parseDimensionsKey(key),
    points: starts.map((t) => {
      const cell = steps.get(t);
      return cell ? pointOf(t, cell) : emptyPoint(t);
    }),
  }));
}

async function readTotals(db: Database, scope: MetricScope, threshold?: number) {
  const [row] = await db
    .select({
      count: sql<number>`COALESCE(SUM(${metricRollups.count}), 0)`,
      sum: sql<number>`COALESCE(SUM(${metricRollups.sum}), 0)`,
    })
    .from(metricRollups)
    .where(scopeWhere(scope, metricRollups));
  if (threshold === undefined) return { count: row?.count ?? 0, sum: row?.sum ?? 0, atMost: null };

  const rows = await db
    .select({ bucket: metricBuckets.bucket, count: sql<number>`SUM(${metricBuckets.count})` })
    .from(metricBuckets)
    .where(scopeWhere(scope, metricBuckets))
    .groupBy(metricBuckets.bucket);
  const buckets: Buckets = new Map(rows.map((bucket) => [bucket.bucket, bucket.count]));
  return { count: row?.count ?? 0, sum: row?.sum ?? 0, atMost: countAtMost(buckets, threshold) };
}

function pointOf(t: number, cell: Cell): SeriesPoint {
  const bounds = { min: cell.min, max: cell.max };
  return {
    t: new Date(t).toISOString(),
    count: cell.count,
    sum: cell.sum,
    avg: cell.count > 0 ? cell.sum / cell.count : null,
    min: cell.min,
    max: cell.max,
    p50: quantileOf(cell.buckets, 0.5, bounds) ?? null,
    p95: quantileOf(cell.buckets, 0.95, bounds) ?? null,
    p99: quantileOf(cell.buckets, 0.99, bounds) ?? null,
  };
}

/** The canonical key of a series: its `groupBy` dimension values. */
function groupKey(dimensions: MetricDimensions, groupBy: readonly DimensionKey[]): string {
  const picked: MetricDimensions = {};
  for (const key of DIMENSION_KEYS) {
    if (groupBy.includes(key)) picked[key] = dimensions[key] ?? "";
  }
  return JSON.stringify(picked);
}

function scopeWhere(
  scope: MetricScope,
  table: { name: SQLiteColumn; dims: SQLiteColumn; minute: SQLiteColumn },
): SQL | undefined {
  const clauses: SQL[] = [
    eq(table.name, scope.name),
    gte(table.minute, scope.since),
    lt(table.minute, scope.until),
  ];
  for (const key of DIMENSION_KEYS) {
    const value = scope.filter[key];
    if (value !== undefined)
      clauses.push(sql`json_extract(${table.dims}, ${`$.${key}`}) = ${value}`);
  }
  return and(...clauses);
}

async function guard<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new RetryableError("metrics_store_unavailable", "D1 metric rollups could not be read", {
      cause: error,
    });
  }
}
