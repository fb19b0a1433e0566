import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { metricBuckets, metricRollups } from "../db/schema";
import type { Rollup } from "./rollup";

// D1 binds at most 100 parameters per statement: 7 columns a rollup row, 5 a bucket row.
const ROLLUPS_PER_INSERT = 14;
const BUCKETS_PER_INSERT = 20;

/**
 * Adds rollups to their D1 rows in one atomic batch. Each statement is an upsert that adds
 * to the stored counters (and widens min/max), so any number of isolates can flush the
 * same minute concurrently without losing counts.
 */
export async function writeRollups(db: Database, rollups: readonly Rollup[]): Promise<void> {
  const rollupRows = rollups.map(({ buckets: _buckets, ...row }) => row);
  const bucketRows = rollups.flatMap((rollup) =>
    [...rollup.buckets].map(([bucket, count]) => ({
      name: rollup.name,
      dims: rollup.dims,
      minute: rollup.minute,
      bucket,
      count,
    })),
  );

  const statements = [
    ...chunks(rollupRows, ROLLUPS_PER_INSERT).map((rows) =>
      db
        .insert(metricRollups)
        .values(rows)
        .onConflictDoUpdate({
          target: [metricRollups.name, metricRollups.dims, metricRollups.minute],
          set: {
            count: sql`${metricRollups.count} + excluded.count`,
            sum: sql`${metricRollups.sum} + excluded.sum`,
            min: sql`MIN(${metricRollups.min}, excluded.min)`,
            max: sql`MAX(${metricRollups.max}, excluded.max)`,
          },
        }),
    ),
    ...chunks(bucketRows, BUCKETS_PER_INSERT).map((rows) =>
      db
        .insert(metricBuckets)
        .values(rows)
        .onConflictDoUpdate({
          target: [
            metricBuckets.name,
            metricBuckets.dims,
            metricBuckets.minute,
            metricBuckets.bucket,
          ],
          set: { count: sql`${metricBuckets.count} + excluded.count` },
        }),
    ),
  ];
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}
