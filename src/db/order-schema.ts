import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The order export ledger: where each order is, per connector, and what each effect
 * (create, update, cancel, payment, refund) did. Times are epoch milliseconds.
 */

/**
 * One row per order and connector. Its lease serialises work on that pair, so two
 * consumers never send the same order's effects to one connector out of order.
 */
export const orderTargets = sqliteTable(
  "order_targets",
  {
    shop: text("shop").notNull(),
    orderId: text("order_id").notNull(),
    connector: text("connector").notNull(),
    orderName: text("order_name"),
    /** `pending` until the create is accepted, then `exported`; see docs/connectors.md. */
    status: text("status", {
      enum: ["pending", "awaiting_ack", "exported", "rejected"],
    }).notNull(),
    externalRef: text("external_ref"),
    /** `updated_at` (ms) of the newest order version the connector has. */
    exportedRevision: integer("exported_revision"),
    /**
     * Digest of that version's content without its timestamps and tags, so an
     * `orders/updated` that only echoes the hub's own write-back tag is not exported.
     */
    exportedDigest: text("exported_digest"),
    attempts: integer("attempts").notNull().default(0),
    firstSeenAt: integer("first_seen_at").notNull(),
    exportedAt: integer("exported_at"),
    /** exportedAt − the Shopify event's triggered-at: the export lag the SLO measures. */
    lagMs: integer("lag_ms"),
    lastError: text("last_error"),
    writtenBackAt: integer("written_back_at"),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until").notNull().default(0),
    traceId: text("trace_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.orderId, table.connector] }),
    index("order_targets_status").on(table.status, table.firstSeenAt),
    index("order_targets_name").on(table.shop, table.orderName),
  ],
);

/** One row per effect sent (or to be sent) to a connector, keyed by its idempotency key. */
export const orderExports = sqliteTable(
  "order_exports",
  {
    connector: text("connector").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    shop: text("shop").notNull(),
    orderId: text("order_id").notNull(),
    effect: text("effect").notNull(),
    revision: text("revision").notNull(),
    status: text("status", {
      enum: ["sending", "exported", "awaiting_ack", "failed", "rejected", "superseded"],
    }).notNull(),
    externalRef: text("external_ref"),
    /** For payment and refund effects: the amount sent, for payout reconciliation. */
    amount: text("amount"),
    currency: text("currency"),
    attempts: integer("attempts").notNull().default(0),
    firstSeenAt: integer("first_seen_at").notNull(),
    exportedAt: integer("exported_at"),
    lagMs: integer("lag_ms"),
    lastError: text("last_error"),
    traceId: text("trace_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.connector, table.idempotencyKey] }),
    index("order_exports_order").on(table.shop, table.orderId),
    index("order_exports_status").on(table.status, table.updatedAt),
  ],
);

/**
 * The latest envelope of each order event, so an operator can replay an order by id and
 * the reconciliation cron can tell which orders the hub has seen. Holds personal data:
 * compliance redaction deletes a customer's rows.
 */
export const orderEvents = sqliteTable(
  "order_events",
  {
    shop: text("shop").notNull(),
    orderId: text("order_id").notNull(),
    /** Topic, or `refunds/create:<refund id>`: one row per distinct event. */
    eventKey: text("event_key").notNull(),
    customerId: text("customer_id"),
    orderUpdatedAt: integer("order_updated_at"),
    envelope: text("envelope").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.orderId, table.eventKey] }),
    index("order_events_customer").on(table.shop, table.customerId),
  ],
);

/** Per shop and job, how far a reconciliation has looked (e.g. orders updated since). */
export const watermarks = sqliteTable(
  "watermarks",
  {
    shop: text("shop").notNull(),
    job: text("job").notNull(),
    value: text("value").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.job] })],
);
