import { blobColumn } from "./analytics-engine-layout";
import { DIMENSION_KEYS } from "./catalog";
import type { MetricScope, SeriesQuery } from "./reader";

/**
 * The Analytics Engine SQL the reader sends. The SQL API takes no bound parameters, so
 * every value is either a number, a name from the catalog, or a dimension value already
 * limited to `[A-Za-z0-9._:/@#-]` by the query schema — and quoted here regardless.
 * Every row stands for `_sample_interval` events, so counts and quantiles are weighted.
 * https://developers.cloudflare.com/analytics/analytics-engine/sql-reference/
 */

export function seriesSql(dataset: string, query: SeriesQuery): string {
  const groups = query.groupBy.map((key) => `${blobColumn(key)} AS ${key}`);
  const groupColumns = query.groupBy.map((key) => key);
  return [
    "SELECT",
    [
      `toStartOfInterval(timestamp, INTERVAL '${Math.floor(query.stepSeconds)}' SECOND) AS t`,
      ...groups,
      "SUM(_sample_interval) AS count",
      "SUM(_sample_interval * double1) AS sum",
      "MIN(double1) AS min",
      "MAX(double1) AS max",
      "quantileExactWeighted(0.5)(double1, _sample_interval) AS p50",
      "quantileExactWeighted(0.95)(double1, _sample_interval) AS p95",
      "quantileExactWeighted(0.99)(double1, _sample_interval) AS p99",
    ].join(", "),
    `FROM ${identifier(dataset)}`,
    `WHERE ${scopeWhere(query)}`,
    `GROUP BY ${["t", ...groupColumns].join(", ")}`,
    "ORDER BY t",
    "FORMAT JSON",
  ].join(" ");
}

export function totalsSql(dataset: string, scope: MetricScope, threshold?: number): string {
  const atMost =
    threshold === undefined
      ? "0 AS atMost"
      : `SUM(IF(double1 <= ${finite(threshold)}, _sample_interval, 0)) AS atMost`;
  return [
    "SELECT SUM(_sample_interval) AS count, SUM(_sample_interval * double1) AS sum,",
    atMost,
    `FROM ${identifier(dataset)} WHERE ${scopeWhere(scope)} FORMAT JSON`,
  ].join(" ");
}

export function lastSeenSql(dataset: string, scope: MetricScope): string {
  return `SELECT COUNT() AS n, MAX(timestamp) AS last FROM ${identifier(dataset)} WHERE ${scopeWhere(scope)} FORMAT JSON`;
}

function scopeWhere(scope: MetricScope): string {
  const clauses = [
    `index1 = ${quote(scope.name)}`,
    `timestamp >= toDateTime(${seconds(scope.since)})`,
    `timestamp < toDateTime(${seconds(scope.until)})`,
  ];
  for (const key of DIMENSION_KEYS) {
    const value = scope.filter[key];
    if (value !== undefined) clauses.push(`${blobColumn(key)} = ${quote(value)}`);
  }
  return clauses.join(" AND ");
}

function quote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad dataset name ${name}`);
  return name;
}

function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`threshold ${value} is not finite`);
  return value;
}
