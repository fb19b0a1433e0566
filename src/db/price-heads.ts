import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "./client";
import { priceBookHeads, priceBookVersions, priceKvKeys } from "./schema";

export type PriceBookHead = typeof priceBookHeads.$inferSelect;

/** Makes sure the shop has a head row (version 0, nothing published). */
async function ensureHead(db: Database, shop: string, now: number): Promise<void> {
  await db
    .insert(priceBookHeads)
    .values({
      shop,
      version: 0,
      publishedVersion: 0,
      generation: 0,
      leaseUntil: 0,
      lastPointerWriteAt: 0,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

export async function readHead(db: Database, shop: string): Promise<PriceBookHead | undefined> {
  const [head] = await db.select().from(priceBookHeads).where(eq(priceBookHeads.shop, shop));
  return head;
}

/**
 * Allocates the shop's next price-book version and records who made it. The increment is
 * one statement, so concurrent writers never share a version.
 */
export async function nextVersion(
  db: Database,
  shop: string,
  record: { kind: "full" | "incremental"; actor: string; changes: number },
  now = Date.now(),
): Promise<number> {
  await ensureHead(db, shop, now);
  const [row] = await db
    .update(priceBookHeads)
    .set({ version: sql`${priceBookHeads.version} + 1`, updatedAt: now })
    .where(eq(priceBookHeads.shop, shop))
    .returning({ version: priceBookHeads.version });
  if (!row) throw new Error(`price_book_heads has no row for ${shop}`);
  await db
    .insert(priceBookVersions)
    .values({ shop, version: row.version, ...record, createdAt: now });
  return row.version;
}

/**
 * Takes the shop's publish lease when free (or expired). Only the holder writes the
 * shop's KV keys, so the pointer is written by one publisher at a time.
 */
export async function acquirePublishLease(
  db: Database,
  shop: string,
  owner: string,
  ttlMs: number,
  now = Date.now(),
): Promise<PriceBookHead | undefined> {
  await ensureHead(db, shop, now);
  const [head] = await db
    .update(priceBookHeads)
    .set({ leaseOwner: owner, leaseUntil: now + ttlMs })
    .where(and(eq(priceBookHeads.shop, shop), lt(priceBookHeads.leaseUntil, now + 1)))
    .returning();
  return head;
}

/** Records what KV now serves and gives the lease back. */
export async function finishPublish(
  db: Database,
  shop: string,
  owner: string,
  published: { version: number; generation: number; pointer: string; pointerWrittenAt: number },
): Promise<void> {
  await db
    .update(priceBookHeads)
    .set({
      publishedVersion: published.version,
      generation: published.generation,
      pointer: published.pointer,
      lastPointerWriteAt: published.pointerWrittenAt,
      leaseOwner: null,
      leaseUntil: 0,
      updatedAt: published.pointerWrittenAt,
    })
    .where(and(eq(priceBookHeads.shop, shop), eq(priceBookHeads.leaseOwner, owner)));
}

export async function releasePublishLease(db: Database, shop: string, owner: string) {
  await db
    .update(priceBookHeads)
    .set({ leaseOwner: null, leaseUntil: 0 })
    .where(and(eq(priceBookHeads.shop, shop), eq(priceBookHeads.leaseOwner, owner)));
}

/** Shops whose D1 book is newer than what KV serves. */
export async function shopsBehind(db: Database): Promise<string[]> {
  const rows = await db
    .select({ shop: priceBookHeads.shop })
    .from(priceBookHeads)
    .where(gt(priceBookHeads.version, priceBookHeads.publishedVersion));
  return rows.map((row) => row.shop);
}

// 3 columns a row, ≤ 100 bound parameters a statement.
const KEY_ROWS = 33;

/** Remembers keys before they are written, so an interrupted publish leaves nothing untracked. */
export async function recordKvKeys(
  db: Database,
  shop: string,
  generation: number,
  keys: readonly string[],
): Promise<void> {
  const statements = [];
  for (let start = 0; start < keys.length; start += KEY_ROWS) {
    const rows = keys.slice(start, start + KEY_ROWS).map((key) => ({ shop, generation, key }));
    statements.push(db.insert(priceKvKeys).values(rows).onConflictDoNothing());
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Up to `limit` keys of generations older than `keepFrom`. */
export async function supersededKvKeys(
  db: Database,
  shop: string,
  keepFrom: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ key: priceKvKeys.key })
    .from(priceKvKeys)
    .where(and(eq(priceKvKeys.shop, shop), lt(priceKvKeys.generation, keepFrom)))
    .limit(limit);
  return rows.map((row) => row.key);
}

export async function forgetKvKeys(db: Database, shop: string, keys: readonly string[]) {
  const statements = [];
  for (let start = 0; start < keys.length; start += 90) {
    const part = keys.slice(start, start + 90);
    statements.push(
      db.delete(priceKvKeys).where(and(eq(priceKvKeys.shop, shop), inArray(priceKvKeys.key, part))),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
