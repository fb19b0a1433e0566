import { Hono } from "hono";
import { z } from "zod";
import { type AuditEntry, listAudit } from "../../audit/query";
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
  const entries = await listAudit(c.var.db, { ...filterOf(query), limit: query.limit });
  const last = entries.at(-1);
  return c.json({
    items: entries.map(present),
    nextBefore: entries.length === query.limit && last ? last.seq : null,
  });
});

/** Most entries one export returns; narrow the filters (since/until) for more. */
const MAX_EXPORT_ENTRIES = 50_000;
const EXPORT_PAGE = 500;

const ExportQuerySchema = AuditQuerySchema.omit({ limit: true, before: true }).extend({
  format: z.enum(["csv", "json"]).default("csv"),
});

/**
 * `GET /admin/api/audit/export`: every matching entry, oldest first, as a CSV or JSON
 * download for finance and compliance. Hashes are included, so a recipient can re-check
 * the chain of a complete export.
 */
auditAdminRoutes.get("/export", requireScope("read"), async (c) => {
  const query = parseInput(ExportQuerySchema, c.req.query(), "query");
  const entries: AuditEntry[] = [];
  let before: number | undefined;
  while (entries.length < MAX_EXPORT_ENTRIES) {
    const page = await listAudit(c.var.db, {
      ...filterOf(query),
      ...(before ? { before } : {}),
      limit: EXPORT_PAGE,
    });
    entries.push(...page);
    const last = page.at(-1);
    if (page.length < EXPORT_PAGE || !last) break;
    before = last.seq;
  }
  const rows = entries.reverse().map(present);
  const name = `audit-${new Date().toISOString().slice(0, 10)}.${query.format}`;
  c.header("content-disposition", `attachment; filename="${name}"`);
  c.header("x-audit-truncated", String(entries.length >= MAX_EXPORT_ENTRIES));
  if (query.format === "json") return c.json({ items: rows });

  c.header("content-type", "text/csv; charset=utf-8");
  return c.body(toCsv(rows));
});

function filterOf(query: {
  actor?: string | undefined;
  action?: string | undefined;
  subject?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  before?: number | undefined;
}) {
  return {
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.subject ? { subject: query.subject } : {}),
    ...(query.since ? { since: Date.parse(query.since) } : {}),
    ...(query.until ? { until: Date.parse(query.until) } : {}),
    ...(query.before ? { before: query.before } : {}),
  };
}

function present(entry: AuditEntry) {
  return {
    seq: entry.seq,
    at: new Date(entry.at).toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    before: entry.before === null ? null : (JSON.parse(entry.before) as unknown),
    after: entry.after === null ? null : (JSON.parse(entry.after) as unknown),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

const CSV_COLUMNS = [
  "seq",
  "at",
  "actor",
  "action",
  "subject",
  "before",
  "after",
  "prevHash",
  "hash",
] as const;

/** RFC 4180 CSV; JSON-valued columns are written as compact JSON text. */
function toCsv(rows: ReturnType<typeof present>[]): string {
  const cell = (value: unknown) => {
    const text = typeof value === "string" ? value : value === null ? "" : JSON.stringify(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = rows.map((row) => CSV_COLUMNS.map((column) => cell(row[column])).join(","));
  return `${[CSV_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}

auditAdminRoutes.get("/verify", requireScope("read"), async (c) => {
  const verdict = await verifyAuditChain(c.var.db);
  return c.json(verdict, verdict.ok ? 200 : 409);
});
