import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The hub's ledgers in D1. Every row is keyed by shop domain so one deployment can serve
 * several shops without their records mixing. Times are epoch milliseconds.
 */

/**
 * One row per Shopify webhook delivery (shop + `X-Shopify-Webhook-Id`). The insert-if-absent
 * on this key is the edge dedupe; `status` says whether the event reached its queue.
 */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventId: text("event_id").notNull(),
    topic: text("topic").notNull(),
    apiVersion: text("api_version").notNull(),
    triggeredAt: text("triggered_at").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** `pending` while a request owns it, then `enqueued`, `failed` or `ignored`. */
    status: text("status", { enum: ["pending", "enqueued", "failed", "ignored"] }).notNull(),
    claimedAt: integer("claimed_at").notNull(),
    queue: text("queue"),
    traceId: text("trace_id").notNull(),
    payloadKey: text("payload_key"),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.webhookId] }),
    index("webhook_receipts_received_at").on(table.receivedAt),
    index("webhook_receipts_topic_status").on(table.shop, table.topic, table.status),
  ],
);

/**
 * Payloads too large for a queue message, kept in R2 under `key`. The subject columns let
 * compliance requests find and delete a customer's or an order's data.
 */
export const storedPayloads = sqliteTable(
  "stored_payloads",
  {
    key: text("key").primaryKey(),
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    topic: text("topic").notNull(),
    customerId: text("customer_id"),
    orderId: text("order_id"),
    bytes: integer("bytes").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("stored_payloads_customer").on(table.shop, table.customerId),
    index("stored_payloads_order").on(table.shop, table.orderId),
  ],
);

/** Messages a consumer gave up on, with everything needed to triage and replay them. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    domain: text("domain").notNull(),
    topic: text("topic").notNull(),
    webhookId: text("webhook_id"),
    customerId: text("customer_id"),
    orderId: text("order_id"),
    /** The queue envelope as JSON; its payload is replaced by a marker once redacted. */
    envelope: text("envelope").notNull(),
    errorClass: text("error_class").notNull(),
    errorCode: text("error_code").notNull(),
    errorMessage: text("error_message").notNull(),
    attempts: integer("attempts").notNull(),
    status: text("status", { enum: ["open", "replayed", "discarded"] }).notNull(),
    replayCount: integer("replay_count").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    index("dead_letters_status").on(table.status, table.createdAt),
    index("dead_letters_shop").on(table.shop, table.domain),
    index("dead_letters_customer").on(table.shop, table.customerId),
    index("dead_letters_order").on(table.shop, table.orderId),
  ],
);

/** Installation state per configured shop; `app/uninstalled` and `shop/redact` move it. */
export const shopInstallations = sqliteTable("shop_installations", {
  shop: text("shop").primaryKey(),
  status: text("status", { enum: ["active", "uninstalled", "redacted"] }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every GDPR compliance request Shopify sent, with what the hub did about it. */
export const complianceRequests = sqliteTable(
  "compliance_requests",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    topic: text("topic").notNull(),
    webhookId: text("webhook_id").notNull(),
    customerId: text("customer_id"),
    receivedAt: integer("received_at").notNull(),
    completedAt: integer("completed_at"),
    /** JSON: counts for a redaction; for a data request, the records the hub holds. */
    result: text("result"),
  },
  (table) => [index("compliance_requests_shop").on(table.shop, table.receivedAt)],
);

/** One row per cron run, so a late or repeated trigger is visible and harmless. */
export const cronRuns = sqliteTable(
  "cron_runs",
  {
    id: text("id").primaryKey(),
    job: text("job").notNull(),
    scheduledAt: integer("scheduled_at").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    summary: text("summary"),
  },
  (table) => [index("cron_runs_job").on(table.job, table.startedAt)],
);
export * from "./alerts-schema";
export * from "./audit-schema";
export * from "./install-schema";
export * from "./inventory-drift-schema";
export * from "./inventory-schema";
export * from "./metrics-schema";
export * from "./order-schema";
export * from "./price-list-sync-schema";
export * from "./pricing-schema";
export * from "./reconciliation-schema";
