/**
 * @typedef {{ count: number, p50: number, p95: number, p99: number, max: number,
 *   mean: number }} Summary
 */

/**
 * Nearest-rank percentiles over every sample; exact, not bucketed. An empty list gives
 * NaN everywhere (and count 0), which the report prints as such.
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarise(samples) {
  if (samples.length === 0) {
    return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  }

  const sorted = Float64Array.from(samples).sort();
  const at = (percent) => sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)];
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: sorted[sorted.length - 1],
    mean: total / sorted.length,
  };
}
