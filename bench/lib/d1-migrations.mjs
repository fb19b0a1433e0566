import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { unstable_splitSqlQuery } from "wrangler";

/**
 * Applies the *.sql migrations in `dir`, in name order, to a fresh, throwaway D1 database
 * (the bench's and the end-to-end tests' Miniflare instances), one batch per file.
 *
 * @param {{ prepare(query: string): unknown, batch(statements: unknown[]): Promise<unknown> }} db
 * @param {string} dir
 */
export async function applyMigrations(db, dir) {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();

  for (const file of files) {
    const sql = await readFile(join(dir, file), "utf8");
    const statements = unstable_splitSqlQuery(sql).filter((statement) => statement.trim());
    await db.batch(statements.map((statement) => db.prepare(statement)));
  }
}
