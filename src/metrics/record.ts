import { loadSettings } from "../config/settings";
import { openDatabase } from "../db/client";
import { createLogger, describeError } from "../observability/logger";
import { toDataPoint } from "./analytics-engine-layout";
import { METRIC_CATALOG, type MetricDimensions, type MetricName, type MetricUnit } from "./catalog";
import { writeRollups } from "./d1-sink";
import { cleanDimensions, dimensionsKey } from "./dimensions";
import { type MetricObservation, rollUp } from "./rollup";

/** One observation handed to {@link recordMetric}. */
export interface MetricPoint {
  name: MetricName;
  value: number;
  /** Optional check: when given, it must match the catalog's unit for `name`. */
  unit?: MetricUnit;
  dimensions?: MetricDimensions;
  /** Epoch ms; defaults to now. */
  at?: number;
}

// Points kept between flushes per env; a request or batch records far fewer. Past it,
// points are dropped (and the drop logged) rather than growing the isolate's memory.
const MAX_BUFFERED = 5_000;
// A broken sink would otherwise log on every request.
const FAILURE_LOG_INTERVAL_MS = 60_000;

// An HTTP request flushes its isolate's buffer at most this often, so a busy isolate writes one
// D1 batch a second rather than one per request (each is a write on D1's single writer).
const REQUEST_FLUSH_INTERVAL_MS = 1_000;

const buffers = new WeakMap<object, MetricObservation[]>();
const lastFlushedAt = new WeakMap<object, number>();
let lastFailureLoggedAt = 0;

/**
 * Records one metric observation. Never throws and never waits: with
 * `METRICS_SINK = "analytics-engine"` the point goes to the `METRICS` dataset at once
 * (Analytics Engine batches on its own); with `"d1"` it is buffered until
 * {@link flushMetrics}, which the Worker's entry points call when a request, batch or cron
 * run ends. A failure is logged (at most once a minute) and the point dropped: metrics
 * never break the business path.
 */
export function recordMetric(env: Cloudflare.Env, point: MetricPoint): void {
  try {
    if (!Number.isFinite(point.value)) throw new Error(`${point.name}: value is not finite`);
    const expected = METRIC_CATALOG[point.name].unit;
    if (point.unit && point.unit !== expected) {
      throw new Error(`${point.name} is recorded in ${expected}, not ${point.unit}`);
    }

    const dimensions = cleanDimensions(point.dimensions ?? {});
    if (loadSettings(env).METRICS_SINK === "analytics-engine") {
      env.METRICS.writeDataPoint(toDataPoint(point.name, point.value, dimensions));
      return;
    }

    const buffer = buffers.get(env) ?? [];
    if (buffer.length >= MAX_BUFFERED) throw new Error("metrics buffer full; point dropped");
    buffer.push({
      name: point.name,
      dims: dimensionsKey(dimensions),
      value: point.value,
      at: point.at ?? Date.now(),
    });
    buffers.set(env, buffer);
  } catch (error) {
    reportFailure(env, "metric not recorded", error);
  }
}

/**
 * Writes the points buffered for `env` to D1 as per-minute rollups, in one batch. Never
 * throws; a failed write drops those points and is logged. Cheap when nothing is buffered.
 */
export async function flushMetrics(env: Cloudflare.Env): Promise<void> {
  const buffer = buffers.get(env);
  if (!buffer || buffer.length === 0) return;
  buffers.set(env, []);
  lastFlushedAt.set(env, Date.now());

  try {
    await writeRollups(openDatabase(env.DB), rollUp(buffer));
  } catch (error) {
    reportFailure(env, "metrics flush failed; points dropped", error, buffer.length);
  }
}

/**
 * {@link flushMetrics} for the end of an HTTP request: flushes only when this isolate has not
 * flushed for {@link REQUEST_FLUSH_INTERVAL_MS}. Shortcoming: points recorded by an isolate's
 * last requests before it goes quiet wait for its next request, queue batch or cron run (the
 * alert cron runs every minute), and are lost if the isolate is evicted first.
 */
export function flushMetricsIfDue(env: Cloudflare.Env, now = Date.now()): Promise<void> {
  const last = lastFlushedAt.get(env);
  if (last !== undefined && now - last < REQUEST_FLUSH_INTERVAL_MS) return Promise.resolve();
  return flushMetrics(env);
}

function reportFailure(env: Cloudflare.Env, msg: string, error: unknown, points = 1): void {
  const now = Date.now();
  if (now - lastFailureLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
  lastFailureLoggedAt = now;

  let level: "debug" | "info" | "warn" | "error" = "warn";
  try {
    level = loadSettings(env).LOG_LEVEL;
  } catch {
    // Settings that do not parse fail the request elsewhere; the warning still goes out.
  }
  createLogger(level).warn(msg, { points, ...describeError(error) });
}
