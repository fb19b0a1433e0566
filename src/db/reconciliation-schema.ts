import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Payout reconciliation: per shop and night, Shopify Payments payouts and their balance
 * transactions against the payments and refunds the ERP accepted. Times are epoch ms;
 * amounts are decimal strings as Shopify and the ledger hold them.
 */

/** One reconciliation of one shop. */
export const payoutReconciliationRuns = sqliteTable(
  "payout_reconciliation_runs",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    /** Payouts issued at or after this ISO time were examined. */
    since: text("since").notNull(),
    payouts: integer("payouts").notNull().default(0),
    transactions: integer("transactions").notNull().default(0),
    /** Earliest and latest balance-transaction date of the examined payouts. */
    coveredFrom: integer("covered_from"),
    coveredUntil: integer("covered_until"),
    missing: integer("missing").notNull().default(0),
    extra: integer("extra").notNull().default(0),
    amount: integer("amount").notNull().default(0),
    /** ERP payments with no transaction whose gateway or time the hub could not check. */
    unverified: integer("unverified").notNull().default(0),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (table) => [index("payout_runs_shop").on(table.shop, table.startedAt)],
);

/** One disagreement between Shopify Payments and the ERP about one order's money. */
export const payoutMismatches = sqliteTable(
  "payout_mismatches",
  {
    id: text("id").primaryKey(),
    runId: text("run_id").notNull(),
    shop: text("shop").notNull(),
    orderId: text("order_id").notNull(),
    /** `missing`: Shopify settled it, the ERP never got it; `extra`: the reverse; `amount`. */
    kind: text("kind", { enum: ["missing", "extra", "amount"] }).notNull(),
    effect: text("effect", { enum: ["payment", "refund"] }).notNull(),
    /** The payout(s) and balance transaction(s) involved, comma-separated numeric ids. */
    payoutIds: text("payout_ids"),
    transactionIds: text("transaction_ids"),
    shopifyAmount: text("shopify_amount"),
    shopifyCurrency: text("shopify_currency"),
    erpAmount: text("erp_amount"),
    erpCurrency: text("erp_currency"),
    detail: text("detail"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("payout_mismatches_run").on(table.runId),
    index("payout_mismatches_order").on(table.shop, table.orderId),
  ],
);
