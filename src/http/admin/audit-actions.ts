import { createMiddleware } from "hono/factory";
import { type AuditChange, appendAudit } from "../../audit/append";
import type { Database } from "../../db/client";
import type { Logger } from "../../observability/logger";
import type { AdminEnv, AdminPrincipal } from "./auth";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Appends one audit entry for every state-changing admin call that succeeded (replay,
 * breaker reset, re-sync, price change...), whoever made it: a bearer token, a console
 * session or an Access user. The entry names the operator as `admin:<name>`, the route
 * as the action (`POST /admin/api/dead-letters/:id/replay`) and the concrete path as the
 * subject, so `GET /admin/api/audit?action=...` finds every use of one route.
 *
 * Runs after the action: the action has happened by then, so a failed append does not
 * undo or hide it; it is logged at error level with the whole entry instead.
 */
export const auditOperatorActions = createMiddleware<AdminEnv>(async (c, next) => {
  await next();
  if (SAFE_METHODS.has(c.req.method) || c.res.status >= 400) return;
  const admin: AdminPrincipal | undefined = c.get("admin");
  if (!admin) return;

  const url = new URL(c.req.url);
  const entry = {
    actor: `admin:${admin.name}`,
    action: `${c.req.method} ${c.req.routePath}`,
    subject: `${url.pathname}${url.search}`,
    before: null,
    after: { status: c.res.status, via: admin.via, traceId: c.var.trace.traceId },
  };
  await auditOrLog(c.var.db, c.var.logger, entry);
});

/**
 * Appends `entry` to the audit log; when that fails, logs the whole entry at error level
 * instead, for actions that have already happened and must not be reported as failed.
 */
export async function auditOrLog(db: Database, logger: Logger, entry: AuditChange): Promise<void> {
  try {
    await appendAudit(db, [entry]);
  } catch (error) {
    logger.error("operator action not audited", {
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      errorMessage: error instanceof Error ? error.message : String(error),
    });
  }
}
