import { describe, expect, it } from "vitest";
import {
  addToBuckets,
  type Buckets,
  bucketOf,
  bucketUpperBound,
  countAtMost,
  quantileOf,
  RELATIVE_ACCURACY,
} from "../../src/metrics/histogram";

/** A deterministic spread of latencies from 1 ms to about 100 s. */
function latencies(count: number): number[] {
  let seed = 7;
  return Array.from({ length: count }, () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return Math.round(10 ** (1 + (seed / 2_147_483_647) * 4) * 10) / 10;
  });
}

function histogram(values: number[]): Buckets {
  const buckets: Buckets = new Map();
  for (const value of values) addToBuckets(buckets, bucketOf(value), 1);
  return buckets;
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

describe("log-bucket histogram", () => {
  it.each([0.5, 0.95, 0.99])("estimates the %s quantile within the stated relative error", (q) => {
    const values = latencies(5_000);
    const bounds = { min: Math.min(...values), max: Math.max(...values) };

    const estimate = quantileOf(histogram(values), q, bounds) ?? Number.NaN;
    const exact = exactQuantile(values, q);

    expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY);
  });

  it("merges by adding counts, giving the same quantiles as one histogram", () => {
    const values = latencies(2_000);
    const merged = histogram(values.slice(0, 700));
    for (const [bucket, count] of histogram(values.slice(700))) addToBuckets(merged, bucket, count);
    const bounds = { min: Math.min(...values), max: Math.max(...values) };

    expect(quantileOf(merged, 0.95, bounds)).toBe(quantileOf(histogram(values), 0.95, bounds));
  });

  it("keeps values in [-1, 1] in bucket 0 and mirrors negative values", () => {
    expect([0, 1, -1, 0.5].map(bucketOf)).toEqual([0, 0, 0, 0]);
    expect(bucketOf(-250)).toBe(-bucketOf(250));
    expect(quantileOf(histogram([-250, -250, 3]), 0.5, { min: -250, max: 3 })).toBeCloseTo(
      -250,
      -1,
    );
  });

  it("clamps estimates to the observed min and max", () => {
    expect(quantileOf(histogram([42]), 0.99, { min: 42, max: 42 })).toBe(42);
  });

  it("answers undefined for an empty histogram", () => {
    expect(quantileOf(new Map(), 0.5, { min: 0, max: 0 })).toBeUndefined();
  });

  it("counts values at or under a threshold strictly, never more than the truth", () => {
    const values = latencies(3_000);
    for (const threshold of [300, 60_000, 120_000]) {
      const truth = values.filter((value) => value <= threshold).length;
      const counted = countAtMost(histogram(values), threshold);
      expect(counted).toBeLessThanOrEqual(truth);
      // Only values within one bucket (about 10.5%) under the threshold may be missed.
      const nearMiss = values.filter((v) => v <= threshold && v > threshold / 1.106).length;
      expect(truth - counted).toBeLessThanOrEqual(nearMiss);
    }
    expect(bucketUpperBound(bucketOf(60_000))).toBeGreaterThanOrEqual(60_000);
  });
});
