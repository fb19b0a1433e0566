import type { MetricName } from "./catalog";
import { addToBuckets, type Buckets, bucketOf } from "./histogram";

/** One recorded observation, as the buffer keeps it until the next flush. */
export interface MetricObservation {
  name: MetricName;
  /** Canonical dimensions key (./dimensions.ts). */
  dims: string;
  value: number;
  /** Epoch ms. */
  at: number;
}

/** A metric's observations in one minute and dimension set, aggregated. */
export interface Rollup {
  name: MetricName;
  dims: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  buckets: Buckets;
}

const MINUTE_MS = 60_000;

/** Start of the minute `at` falls in. */
export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * Folds observations into one rollup per (name, dims, minute), so a flush writes each row
 * once however many points a request recorded.
 */
export function rollUp(observations: readonly MetricObservation[]): Rollup[] {
  const rollups = new Map<string, Rollup>();
  for (const observation of observations) {
    const minute = minuteOf(observation.at);
    const key = `${observation.name}\u0000${observation.dims}\u0000${minute}`;
    const rollup = rollups.get(key) ?? {
      name: observation.name,
      dims: observation.dims,
      minute,
      count: 0,
      sum: 0,
      min: observation.value,
      max: observation.value,
      buckets: new Map(),
    };
    rollup.count += 1;
    rollup.sum += observation.value;
    rollup.min = Math.min(rollup.min, observation.value);
    rollup.max = Math.max(rollup.max, observation.value);
    addToBuckets(rollup.buckets, bucketOf(observation.value), 1);
    rollups.set(key, rollup);
  }
  return [...rollups.values()];
}
