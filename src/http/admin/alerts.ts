import { Hono } from "hono";
import { z } from "zod";
import { alertSummary, parseAlertDetail } from "../../alerts/channels";
import {
  type AlertRow,
  acknowledgeAlert,
  getAlert,
  listAlerts,
  notificationStates,
} from "../../alerts/store";
import type { Database } from "../../db/client";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

const ListQuerySchema = z.object({
  status: z.enum(["open", "resolved"]).optional(),
  /** `lastSeenAt` of the previous page's last item, epoch ms: the cursor. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `/admin/api/alerts`: list alerts with their delivery state, and acknowledge one. */
export const alertRoutes = new Hono<AdminEnv>();

alertRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(ListQuerySchema, c.req.query(), "query");
  const rows = await listAlerts(c.var.db, query);
  const last = rows.at(-1);
  return c.json({
    items: await views(c.var.db, rows),
    nextBefore: rows.length === query.limit && last ? last.lastSeenAt : null,
  });
});

alertRoutes.get("/:id", requireScope("read"), async (c) => {
  const row = await requireAlert(c.var.db, c.req.param("id"));
  const [view] = await views(c.var.db, [row]);
  return c.json(view);
});

alertRoutes.post("/:id/acknowledge", requireScope("operate"), async (c) => {
  const row = await requireAlert(c.var.db, c.req.param("id"));
  if (row.status !== "open") {
    throw new ProblemError(
      409,
      "alert_not_open",
      "Only an open alert can be acknowledged",
      `It was resolved at ${iso(row.resolvedAt)}.`,
    );
  }
  if (row.acknowledgedAt !== null) {
    const [view] = await views(c.var.db, [row]);
    return c.json(view);
  }

  const acknowledged = await acknowledgeAlert(c.var.db, row.id, c.var.admin.name);
  // Resolved between our read and the update: report the alert as it now is.
  const current = acknowledged ?? (await requireAlert(c.var.db, row.id));
  c.var.logger.info("alert acknowledged", { alertId: row.id });
  const [view] = await views(c.var.db, [current]);
  return c.json(view);
});

async function requireAlert(db: Database, id: string): Promise<AlertRow> {
  const row = await getAlert(db, id);
  if (!row) throw new ProblemError(404, "not_found", "No such alert", `No alert has id ${id}.`);
  return row;
}

async function views(db: Database, rows: AlertRow[]) {
  const states = await notificationStates(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    key: row.dedupeKey,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    shop: row.shop,
    summary: alertSummary(row),
    detail: parseAlertDetail(row.detail),
    occurrences: row.occurrences,
    firstSeenAt: iso(row.firstSeenAt),
    lastSeenAt: iso(row.lastSeenAt),
    openedAt: iso(row.openedAt ?? row.firstSeenAt),
    resolvedAt: iso(row.resolvedAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    notifications: [...states.values()]
      .filter((state) => state.alertId === row.id)
      .map((state) => ({
        channel: state.channel,
        notifiedAt: iso(state.notifiedAt),
        resolveSentAt: iso(state.resolveSentAt),
        failures: state.failures,
        lastError: state.lastError,
      })),
  }));
}

function iso(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
