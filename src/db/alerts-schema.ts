import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Operational alerts, one row per condition (its dedupe key): raising the same condition
 * again counts an occurrence instead of adding a row. Times are epoch milliseconds.
 */
export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    /** What the condition is about, e.g. `backorder:{shop}:{sku}:{orderId}:{lineId}`. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    kind: text("kind").notNull(),
    /** `page` wakes someone; `ticket` waits for working hours. */
    severity: text("severity", { enum: ["page", "ticket"] }).notNull(),
    shop: text("shop"),
    /** JSON facts about the condition; never personal data. */
    detail: text("detail").notNull(),
    status: text("status", { enum: ["open", "resolved"] }).notNull(),
    occurrences: integer("occurrences").notNull().default(1),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** One line for people (notifications, console); derived from kind and key when null. */
    summary: text("summary"),
    /** When the current incident opened: the first raise, or the raise that reopened it. */
    openedAt: integer("opened_at"),
    resolvedAt: integer("resolved_at"),
    /** An acknowledged alert is not sent again while open; it still resolves. */
    acknowledgedAt: integer("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
  },
  (table) => [
    index("alerts_status").on(table.status, table.lastSeenAt),
    index("alerts_kind").on(table.kind, table.lastSeenAt),
  ],
);

/**
 * What each alert channel (ALERT_CHANNELS) was told about each alert, so a channel that
 * failed is retried on the next evaluation without repeating the others, and a resolve is
 * sent only where a trigger went. Times are epoch milliseconds.
 */
export const alertNotifications = sqliteTable(
  "alert_notifications",
  {
    alertId: text("alert_id").notNull(),
    channel: text("channel").notNull(),
    /** When the last trigger was delivered; null until one is. */
    notifiedAt: integer("notified_at"),
    /** When the resolve was delivered for the incident that ended at `alerts.resolved_at`. */
    resolveSentAt: integer("resolve_sent_at"),
    /** Consecutive failed deliveries; reset by a success. */
    failures: integer("failures").notNull().default(0),
    lastError: text("last_error"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.alertId, table.channel] })],
);
