import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { loadSettings } from "../config/settings";
import { openDatabase } from "../db/client";
import { alerts } from "../db/schema";
import { createLogger } from "../observability/logger";

/** What kinds of conditions the hub raises. A new kind is added here and in docs/errors.md. */
export const ALERT_KINDS = [
  "backorder",
  "unmapped_sku",
  "unmapped_location",
  "push_failed",
  // Raised by the alert rules (./rules.ts), resolved by them when the condition clears.
  "order_export_failures",
  "order_export_error_rate",
  "dead_letter_growth",
  "breaker_open",
  // For the reconciliation jobs: counts that disagree between Shopify and the hub.
  "reconciliation_drift",
] as const;

export const AlertSchema = z.object({
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(["page", "ticket"]),
  /** The condition's identity: raising it again counts an occurrence of the same alert. */
  key: z.string().min(1).max(500),
  shop: z.string().optional(),
  /** Facts an operator needs (ids, quantities); never personal data. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** One line for people; notifications fall back to kind and key without it. */
  summary: z.string().max(300).optional(),
});
export type Alert = z.input<typeof AlertSchema>;

/** Whether this raise opened the alert or counted another occurrence of an open one. */
export interface RaisedAlert {
  id: string;
  occurrences: number;
  firstOccurrence: boolean;
}

// True in the upsert when the stored alert was resolved: this raise opens a new incident.
const reopening = sql`${alerts.status} = 'resolved'`;

/**
 * Records an alert in D1 (`alerts`, deduplicated by `key`) and logs it: `page` at error
 * level, `ticket` at warn. Raising a resolved alert again reopens it as a new incident
 * (acknowledgement cleared). The alerts cron (./evaluate.ts) sends open alerts to
 * ALERT_CHANNELS from this table, so an alert is never sent without its record.
 * `now` is the raise time (the alerts cron passes its evaluation time).
 * @throws when D1 cannot be written; queue callers let the retry policy handle it.
 */
export async function raiseAlert(
  env: Cloudflare.Env,
  alert: Alert,
  now = Date.now(),
): Promise<RaisedAlert> {
  const parsed = AlertSchema.parse(alert);
  const db = openDatabase(env.DB);

  const [row] = await db
    .insert(alerts)
    .values({
      id: crypto.randomUUID(),
      dedupeKey: parsed.key,
      kind: parsed.kind,
      severity: parsed.severity,
      shop: parsed.shop ?? null,
      detail: JSON.stringify(parsed.detail),
      status: "open",
      occurrences: 1,
      firstSeenAt: now,
      lastSeenAt: now,
      summary: parsed.summary ?? null,
      openedAt: now,
    })
    .onConflictDoUpdate({
      target: alerts.dedupeKey,
      // Every right-hand side sees the row as it was, so `reopening` tests the old status.
      set: {
        occurrences: sql`${alerts.occurrences} + 1`,
        lastSeenAt: now,
        detail: JSON.stringify(parsed.detail),
        summary: parsed.summary ?? sql`${alerts.summary}`,
        status: "open",
        openedAt: sql`CASE WHEN ${reopening} THEN ${now} ELSE ${alerts.openedAt} END`,
        resolvedAt: sql`CASE WHEN ${reopening} THEN NULL ELSE ${alerts.resolvedAt} END`,
        acknowledgedAt: sql`CASE WHEN ${reopening} THEN NULL ELSE ${alerts.acknowledgedAt} END`,
        acknowledgedBy: sql`CASE WHEN ${reopening} THEN NULL ELSE ${alerts.acknowledgedBy} END`,
      },
    })
    .returning({ id: alerts.id, occurrences: alerts.occurrences });
  if (!row) throw new Error(`alert ${parsed.key} was not stored`);

  const logger = createLogger(loadSettings(env).LOG_LEVEL, { alertKind: parsed.kind });
  const fields = {
    alertId: row.id,
    alertKey: parsed.key,
    shop: parsed.shop,
    severity: parsed.severity,
    occurrences: row.occurrences,
  };
  if (parsed.severity === "page") logger.error("alert raised", fields);
  else logger.warn("alert raised", fields);

  return { id: row.id, occurrences: row.occurrences, firstOccurrence: row.occurrences === 1 };
}

/**
 * Marks the open alert with `key` resolved (the condition cleared); the alerts cron then
 * sends a resolve wherever a trigger went. Returns false when no open alert has that key.
 * @throws when D1 cannot be written.
 */
export async function resolveAlert(env: Cloudflare.Env, key: string): Promise<boolean> {
  return (await resolveAlerts(env, [key])).length > 0;
}

// D1 binds at most 100 parameters per statement; two go to status and time.
const KEYS_PER_RESOLVE = 90;

/**
 * {@link resolveAlert} for many keys at once (a push that succeeded for a batch of SKUs, say).
 * Callers pass every key whose condition may have cleared, usually with none of them open, so
 * each batch of 90 keys is read first and written only when some are open: the common case
 * costs D1 reads, not writes. Returns the keys resolved.
 * @throws when D1 cannot be read or written.
 */
export async function resolveAlerts(
  env: Cloudflare.Env,
  keys: readonly string[],
): Promise<string[]> {
  const db = openDatabase(env.DB);
  const now = Date.now();
  const resolved: string[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_RESOLVE) {
    const open = await db
      .select({ key: alerts.dedupeKey })
      .from(alerts)
      .where(
        and(
          inArray(alerts.dedupeKey, keys.slice(start, start + KEYS_PER_RESOLVE)),
          eq(alerts.status, "open"),
        ),
      );
    if (open.length === 0) continue;
    const rows = await db
      .update(alerts)
      .set({ status: "resolved", resolvedAt: now })
      .where(
        and(
          inArray(
            alerts.dedupeKey,
            open.map((row) => row.key),
          ),
          eq(alerts.status, "open"),
        ),
      )
      .returning({ key: alerts.dedupeKey });
    resolved.push(...rows.map((row) => row.key));
  }
  return resolved;
}
