import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The append-only audit log (src/audit). Each row's `hash` is SHA-256 over the previous
 * row's hash and the canonical JSON of this row, so editing or deleting a row breaks
 * every hash after it. `seq` is dense from 1; a unique `seq` makes concurrent appends
 * collide instead of forking the chain.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey(),
    at: integer("at").notNull(),
    /** `connector:erp`, `admin:<token name>`, `cron:<job>`. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    /** JSON of the value before and after; null when created or deleted. */
    before: text("before"),
    after: text("after"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (table) => [
    index("audit_log_actor").on(table.actor, table.seq),
    index("audit_log_action").on(table.action, table.seq),
    index("audit_log_subject").on(table.subject, table.seq),
    index("audit_log_at").on(table.at),
  ],
);

/**
 * The configuration the hub last saw deployed (src/audit/config-changes.ts): one row,
 * `id = "deployed"`, with a digest per setting. Comparing it with the running settings is
 * how a deploy that changed vars or secrets reaches the audit log.
 */
export const configSnapshot = sqliteTable("config_snapshot", {
  id: text("id").primaryKey(),
  /** SHA-256 of `settings`; the compare-and-swap key, so one of two concurrent runs wins. */
  fingerprint: text("fingerprint").notNull(),
  /** JSON object: setting name → its value (plain settings) or a digest (secrets). */
  settings: text("settings").notNull(),
  recordedAt: integer("recorded_at").notNull(),
});
