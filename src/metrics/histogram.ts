/**
 * A log-bucketed histogram (the idea behind DDSketch): bucket `i > 0` holds the values in
 * (γ^(i−1), γ^i], negative buckets mirror them, and bucket 0 holds [−1, 1]. Estimating a
 * bucket's values by 2γ^i / (γ + 1) is within {@link RELATIVE_ACCURACY} of every value in
 * it, so a quantile read from merged buckets is within 5% of the true value (within 1 unit
 * for values in [−1, 1]) and rollups of any size merge by adding counts.
 */
export const RELATIVE_ACCURACY = 0.05;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** Counts per bucket index. */
export type Buckets = Map<number, number>;

/** The bucket a value falls into. */
export function bucketOf(value: number): number {
  const magnitude = Math.abs(value);
  if (!(magnitude > 1)) return 0;
  const index = Math.ceil(Math.log(magnitude) / LOG_GAMMA);
  return value > 0 ? index : -index;
}

/** The value that stands for every value in `bucket`. */
export function bucketValue(bucket: number): number {
  if (bucket === 0) return 0;
  const magnitude = (2 * GAMMA ** Math.abs(bucket)) / (GAMMA + 1);
  return bucket > 0 ? magnitude : -magnitude;
}

/** The largest value `bucket` can hold. */
export function bucketUpperBound(bucket: number): number {
  if (bucket === 0) return 1;
  return bucket > 0 ? GAMMA ** bucket : -(GAMMA ** (-bucket - 1));
}

/** Adds `count` to `bucket`. */
export function addToBuckets(buckets: Buckets, bucket: number, count: number): void {
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
}

/**
 * The `q` quantile (0 < q ≤ 1, nearest rank) of the values behind `buckets`, clamped to the
 * observed `min` and `max`. Undefined when the histogram is empty.
 */
export function quantileOf(
  buckets: Buckets,
  q: number,
  bounds: { min: number; max: number },
): number | undefined {
  const total = [...buckets.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;

  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(bucket) ?? 0;
    if (seen >= rank) return Math.min(bounds.max, Math.max(bounds.min, bucketValue(bucket)));
  }
  return bounds.max;
}

/**
 * How many values are at most `threshold`, counting a bucket only when all of it is. Strict
 * on purpose: values up to 10.5% below the threshold may count as above it, never the other
 * way, so an SLO read from buckets never looks better than it is.
 */
export function countAtMost(buckets: Buckets, threshold: number): number {
  let good = 0;
  for (const [bucket, count] of buckets) {
    if (bucketUpperBound(bucket) <= threshold) good += count;
  }
  return good;
}
