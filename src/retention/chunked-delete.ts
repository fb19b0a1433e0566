import { type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";

// Rows deleted per statement: a night's backlog never becomes one long write that holds
// D1's single writer (and every webhook's insert) for seconds.
export const ROWS_PER_DELETE = 500;
// Statements per table per run: bounds a run's time; the rest waits for the next night.
export const MAX_DELETES_PER_TABLE = 200;

/** How a purge of one table went: rows deleted, and whether rows past the cutoff remain. */
export interface PurgeCount {
  deleted: number;
  /** False when the run stopped at {@link MAX_DELETES_PER_TABLE}; the next run goes on. */
  complete: boolean;
}

/**
 * Deletes the rows of `table` matching `where`, {@link ROWS_PER_DELETE} at a time. Each
 * statement is its own write, so a failure keeps what was deleted before it.
 */
export async function deleteInChunks(
  db: Database,
  table: SQLiteTable,
  where: SQL | undefined,
): Promise<PurgeCount> {
  let deleted = 0;
  for (let round = 0; round < MAX_DELETES_PER_TABLE; round += 1) {
    const result = await db.run(
      sql`delete from ${table} where rowid in (select rowid from ${table} where ${where} limit ${ROWS_PER_DELETE})`,
    );
    const changes = result.meta.changes;
    deleted += changes;
    if (changes < ROWS_PER_DELETE) return { deleted, complete: true };
  }
  return { deleted, complete: false };
}
