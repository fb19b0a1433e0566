import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Per-minute metric rollups, the local (`METRICS_SINK = "d1"`) store behind the metrics
 * and SLO endpoints. One row per metric, dimension set and minute; each flush adds to it
 * with an upsert, so concurrent writers never overwrite each other. Times are epoch ms.
 * TODO(soon): the retention purge (src/cron/retention.ts) does not delete old rollups yet.
 */
export const metricRollups = sqliteTable(
  "metric_rollups",
  {
    name: text("name").notNull(),
    /** Canonical JSON of the dimensions (src/metrics/dimensions.ts). */
    dims: text("dims").notNull(),
    /** Start of the minute, epoch ms. */
    minute: integer("minute").notNull(),
    count: integer("count").notNull(),
    sum: real("sum").notNull(),
    min: real("min").notNull(),
    max: real("max").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.name, table.dims, table.minute] }),
    index("metric_rollups_minute").on(table.name, table.minute),
  ],
);

/**
 * The log-bucketed histogram of each rollup (src/metrics/histogram.ts): one row per bucket
 * that holds values, so quantiles merge across minutes and dimension sets by adding counts.
 */
export const metricBuckets = sqliteTable(
  "metric_buckets",
  {
    name: text("name").notNull(),
    dims: text("dims").notNull(),
    minute: integer("minute").notNull(),
    bucket: integer("bucket").notNull(),
    count: integer("count").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.name, table.dims, table.minute, table.bucket] }),
    index("metric_buckets_minute").on(table.name, table.minute),
  ],
);
