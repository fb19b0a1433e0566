import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";

export type AuditEntry = typeof auditLog.$inferSelect;

/** Filters of `GET /admin/api/audit`; every one optional, combined with AND. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  subject?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, inclusive. */
  until?: number;
  /** Only entries with a smaller `seq` (the previous page's `nextBefore`). */
  before?: number;
  limit: number;
}

/** Matching entries, newest first. */
export async function listAudit(db: Database, filter: AuditFilter): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (filter.actor !== undefined) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action));
  if (filter.subject !== undefined) conditions.push(eq(auditLog.subject, filter.subject));
  if (filter.since !== undefined) conditions.push(gte(auditLog.at, filter.since));
  if (filter.until !== undefined) conditions.push(lte(auditLog.at, filter.until));
  if (filter.before !== undefined) conditions.push(lt(auditLog.seq, filter.before));

  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(filter.limit);
}
