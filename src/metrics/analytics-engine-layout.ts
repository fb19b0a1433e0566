import { DIMENSION_KEYS, type DimensionKey, type MetricDimensions } from "./catalog";

/**
 * How a metric point maps onto an Analytics Engine data point. The metric name is the
 * index (Analytics Engine samples per index value) and `blob1`; each dimension has a fixed
 * blob after it, in catalog order, empty when absent; the value is `double1`.
 * https://developers.cloudflare.com/analytics/analytics-engine/ allows 20 blobs a point.
 */
export function toDataPoint(
  name: string,
  value: number,
  dimensions: MetricDimensions,
): AnalyticsEngineDataPoint {
  return {
    indexes: [name],
    blobs: [name, ...DIMENSION_KEYS.map((key) => dimensions[key] ?? "")],
    doubles: [value],
  };
}

/** The SQL column that holds a dimension: `blob2` for the first key, and so on. */
export function blobColumn(key: DimensionKey): string {
  return `blob${DIMENSION_KEYS.indexOf(key) + 2}`;
}
