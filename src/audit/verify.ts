import { asc, gt } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";
import { chainHash, GENESIS_HASH } from "./hash";

/** What {@link verifyAuditChain} found. */
export type ChainVerdict =
  | { ok: true; entries: number; lastHash: string }
  | {
      ok: false;
      entries: number;
      /** The first entry that does not hold. */
      brokenAt: number;
      reason: "hash_mismatch" | "prev_hash_mismatch" | "seq_gap";
    };

const PAGE = 500;

/**
 * Recomputes every hash of the audit log from the first entry and checks each links to
 * the one before, with no `seq` missing. Reads the log in pages; the verdict covers the
 * entries that existed when each page was read.
 */
export async function verifyAuditChain(db: Database): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;

  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(PAGE);

    for (const entry of page) {
      if (entry.seq !== expectedSeq) {
        return { ok: false, entries: checked, brokenAt: expectedSeq, reason: "seq_gap" };
      }
      if (entry.prevHash !== prevHash) {
        return { ok: false, entries: checked, brokenAt: entry.seq, reason: "prev_hash_mismatch" };
      }
      const { prevHash: _prev, hash, ...fields } = entry;
      if ((await chainHash(prevHash, fields)) !== hash) {
        return { ok: false, entries: checked, brokenAt: entry.seq, reason: "hash_mismatch" };
      }
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (page.length < PAGE) return { ok: true, entries: checked, lastHash: prevHash };
  }
}
