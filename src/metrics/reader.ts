import type { Settings } from "../config/settings";
import { openDatabase } from "../db/client";
import { analyticsEngineReader } from "./analytics-engine-reader";
import type { DimensionKey, MetricDimensions, MetricName } from "./catalog";
import { d1MetricsReader } from "./d1-reader";

/** A time range over one metric, optionally narrowed to some dimension values. */
export interface MetricScope {
  name: MetricName;
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive. */
  until: number;
  filter: MetricDimensions;
}

export interface SeriesQuery extends MetricScope {
  /** Step length in seconds; `since` is expected aligned to it (see alignToStep). */
  stepSeconds: number;
  /** Dimensions to split series by; empty means one series over everything matched. */
  groupBy: readonly DimensionKey[];
}

/** One step of a series. Aggregates are null when the step holds no observations. */
export interface SeriesPoint {
  /** Start of the step, ISO-8601. */
  t: string;
  count: number;
  sum: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Series {
  /** The `groupBy` dimension values of this series ({} without groupBy). */
  dimensions: MetricDimensions;
  points: SeriesPoint[];
}

export interface MetricTotals {
  count: number;
  sum: number;
  /** Observations whose value is at most `threshold`, when one was asked for. */
  atMost: number | null;
}

/**
 * Reads recorded metrics back, from D1 rollups or from Analytics Engine; the metrics and
 * SLO endpoints and the alert rules use only this interface.
 * @throws {RetryableError} when the store cannot be read (Analytics Engine down or not
 *   configured, D1 unavailable).
 */
export interface MetricsReader {
  series(query: SeriesQuery): Promise<Series[]>;
  totals(scope: MetricScope, threshold?: number): Promise<MetricTotals>;
  /** Epoch ms of the newest observation in scope (minute precision for D1), if any. */
  lastSeen(scope: MetricScope): Promise<number | undefined>;
}

/** The reader for the configured `METRICS_SINK`. */
export function metricsReader(env: Cloudflare.Env, settings: Settings): MetricsReader {
  if (settings.METRICS_SINK === "analytics-engine") return analyticsEngineReader(settings);
  return d1MetricsReader(openDatabase(env.DB));
}

/** `at` moved back to the start of its step (steps align to the Unix epoch). */
export function alignToStep(at: number, stepSeconds: number): number {
  const stepMs = stepSeconds * 1000;
  return Math.floor(at / stepMs) * stepMs;
}

/** Every step start in [since, until), so series have a point per step even without data. */
export function stepStarts(since: number, until: number, stepSeconds: number): number[] {
  const starts: number[] = [];
  for (let t = alignToStep(since, stepSeconds); t < until; t += stepSeconds * 1000) starts.push(t);
  return starts;
}

/** An empty point for a step without observations. */
export function emptyPoint(t: number): SeriesPoint {
  const none = { avg: null, min: null, max: null, p50: null, p95: null, p99: null };
  return { t: new Date(t).toISOString(), count: 0, sum: 0, ...none };
}
