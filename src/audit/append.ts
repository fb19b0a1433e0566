import { desc } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";
import { RetryableError } from "../queues/errors";
import { canonicalJson } from "./canonical-json";
import { chainHash, GENESIS_HASH } from "./hash";

/** One change to record: who did what to which subject, and the value before and after. */
export interface AuditChange {
  actor: string;
  action: string;
  subject: string;
  /** `null` when the subject did not exist before (created). */
  before: unknown;
  /** `null` when the subject no longer exists (deleted). */
  after: unknown;
}

// 9 columns a row; D1 binds at most 100 parameters per statement.
const ROWS_PER_INSERT = 11;
// Entries chained and inserted per atomic D1 batch.
const ENTRIES_PER_BATCH = 440;
// Another writer appended between our read of the tail and our insert: read again.
const MAX_APPEND_ATTEMPTS = 5;

/**
 * Appends `changes` to the audit log in order, each chained to the one before. Appends are
 * atomic per batch of {@link ENTRIES_PER_BATCH}: a concurrent writer makes the batch's
 * `seq` collide, the whole batch is rolled back and re-chained onto the new tail.
 * @throws {RetryableError} `audit_contended` when the tail keeps moving.
 */
export async function appendAudit(
  db: Database,
  changes: readonly AuditChange[],
  now = Date.now(),
): Promise<void> {
  for (let start = 0; start < changes.length; start += ENTRIES_PER_BATCH) {
    await appendBatch(db, changes.slice(start, start + ENTRIES_PER_BATCH), now);
  }
}

async function appendBatch(db: Database, changes: readonly AuditChange[], now: number) {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
    const [tail] = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const rows = await chainRows(tail ?? { seq: 0, hash: GENESIS_HASH }, changes, now);

    const inserts = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      inserts.push(db.insert(auditLog).values(rows.slice(start, start + ROWS_PER_INSERT)));
    }
    const [first, ...rest] = inserts;
    if (!first) return;
    try {
      await db.batch([first, ...rest]);
      return;
    } catch (error) {
      if (!isSeqCollision(error) || attempt === MAX_APPEND_ATTEMPTS) {
        if (isSeqCollision(error)) {
          throw new RetryableError("audit_contended", "The audit log tail kept moving", {
            cause: error,
          });
        }
        throw error;
      }
    }
  }
}

async function chainRows(
  tail: { seq: number; hash: string },
  changes: readonly AuditChange[],
  now: number,
) {
  const rows: (typeof auditLog.$inferInsert)[] = [];
  let prevHash = tail.hash;
  let seq = tail.seq;
  for (const change of changes) {
    seq += 1;
    const fields = {
      seq,
      at: now,
      actor: change.actor,
      action: change.action,
      subject: change.subject,
      before: change.before === null ? null : canonicalJson(change.before),
      after: change.after === null ? null : canonicalJson(change.after),
    };
    const hash = await chainHash(prevHash, fields);
    rows.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

function isSeqCollision(error: unknown): boolean {
  const text = `${error instanceof Error ? error.message : ""} ${
    error instanceof Error && error.cause instanceof Error ? error.cause.message : ""
  }`;
  return /UNIQUE constraint failed: audit_log\.seq|PRIMARY KEY/i.test(text);
}
