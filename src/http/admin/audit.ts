import { Hono } from "hono";
import { z } from "zod";
import { listAudit } from "../../audit/query";
import { verifyAuditChain } from "../../audit/verify";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

const AuditQuerySchema = z.object({
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  subject: z.string().min(1).max(500).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `/admin/api/audit`: the append-only audit log, filtered, and a check of its hash chain. */
export const auditAdminRoutes = new Hono<AdminEnv>();

auditAdminRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(AuditQuerySchema, c.req.query(), "query");
  const entries = await listAudit(c.var.db, {
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.subject ? { subject: query.subject } : {}),
    ...(query.since ? { since: Date.parse(query.since) } : {}),
    ...(query.until ? { until: Date.parse(query.until) } : {}),
    ...(query.before ? { before: query.before } : {}),
    limit: query.limit,
  });
  const last = entries.at(-1);
  return c.json({
    items: entries.map((entry) => ({
      seq: entry.seq,
      at: new Date(entry.at).toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      before: entry.before === null ? null : JSON.parse(entry.before),
      after: entry.after === null ? null : JSON.parse(entry.after),
      prevHash: entry.prevHash,
      hash: entry.hash,
    })),
    nextBefore: entries.length === query.limit && last ? last.seq : null,
  });
});

auditAdminRoutes.get("/verify", requireScope("read"), async (c) => {
  const verdict = await verifyAuditChain(c.var.db);
  return c.json(verdict, verdict.ok ? 200 : 409);
});
