import { and, desc, eq, gte, inArray, lt, notInArray, or, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { alertNotifications, alerts } from "../db/schema";

export type AlertRow = typeof alerts.$inferSelect;
export type AlertNotification = typeof alertNotifications.$inferSelect;

/** Newest first, optionally one status; `before` (epoch ms of `lastSeenAt`) pages. */
export async function listAlerts(
  db: Database,
  filter: { status?: AlertRow["status"]; before?: number; limit: number },
): Promise<AlertRow[]> {
  const clauses: SQL[] = [];
  if (filter.status) clauses.push(eq(alerts.status, filter.status));
  if (filter.before !== undefined) clauses.push(lt(alerts.lastSeenAt, filter.before));
  return db
    .select()
    .from(alerts)
    .where(clauses.length ? and(...clauses) : undefined)
    .orderBy(desc(alerts.lastSeenAt), desc(alerts.id))
    .limit(filter.limit);
}

export async function getAlert(db: Database, id: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row;
}

/** Records who acknowledged an alert; the first acknowledgement of an incident stands. */
export async function acknowledgeAlert(
  db: Database,
  id: string,
  by: string,
  now = Date.now(),
): Promise<AlertRow | undefined> {
  const [row] = await db
    .update(alerts)
    .set({ acknowledgedAt: now, acknowledgedBy: by })
    .where(and(eq(alerts.id, id), eq(alerts.status, "open")))
    .returning();
  return row;
}

/**
 * Resolves the open alerts of `kinds` whose keys are not in `activeKeys`: the rules that
 * own those kinds no longer see their condition. Returns the keys resolved.
 */
export async function resolveClearedAlerts(
  db: Database,
  kinds: readonly string[],
  activeKeys: readonly string[],
  now = Date.now(),
): Promise<string[]> {
  const clauses: SQL[] = [eq(alerts.status, "open"), inArray(alerts.kind, [...kinds])];
  if (activeKeys.length > 0) clauses.push(notInArray(alerts.dedupeKey, [...activeKeys]));
  const rows = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: now })
    .where(and(...clauses))
    .returning({ key: alerts.dedupeKey });
  return rows.map((row) => row.key);
}

/** Open alerts, and alerts resolved since `resolvedSince` that may still owe a resolve. */
export async function alertsToNotify(db: Database, resolvedSince: number): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(
      or(
        eq(alerts.status, "open"),
        and(eq(alerts.status, "resolved"), gte(alerts.resolvedAt, resolvedSince)),
      ),
    );
}

/** Each channel's delivery state for these alerts, keyed `${alertId}\u0000${channel}`. */
export async function notificationStates(
  db: Database,
  alertIds: readonly string[],
): Promise<Map<string, AlertNotification>> {
  const states = new Map<string, AlertNotification>();
  // D1 binds at most 100 parameters per statement.
  for (let start = 0; start < alertIds.length; start += 90) {
    const ids = alertIds.slice(start, start + 90);
    const rows = await db
      .select()
      .from(alertNotifications)
      .where(inArray(alertNotifications.alertId, ids));
    for (const row of rows) states.set(notificationKey(row.alertId, row.channel), row);
  }
  return states;
}

export function notificationKey(alertId: string, channel: string): string {
  return `${alertId}\u0000${channel}`;
}

/** Records one delivery attempt's outcome for (alert, channel). */
export async function saveNotification(
  db: Database,
  state: Omit<AlertNotification, "updatedAt">,
  now = Date.now(),
): Promise<void> {
  const values = { ...state, updatedAt: now };
  await db
    .insert(alertNotifications)
    .values(values)
    .onConflictDoUpdate({
      target: [alertNotifications.alertId, alertNotifications.channel],
      set: {
        notifiedAt: values.notifiedAt,
        resolveSentAt: values.resolveSentAt,
        failures: values.failures,
        lastError: values.lastError,
        updatedAt: now,
      },
    });
}
