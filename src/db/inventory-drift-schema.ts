import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The nightly inventory sanity check (docs/inventory.md): one run per shop and night, and
 * one row per SKU and location where Shopify's `available` differed from the hub's ATS.
 * Times are epoch milliseconds; quantities are units.
 */

/** One sanity check of one shop. */
export const inventoryDriftRuns = sqliteTable(
  "inventory_drift_runs",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    /** INVENTORY_DRIFT_TOLERANCE when the run started. */
    tolerance: integer("tolerance").notNull(),
    /** SKU-location pairs compared. */
    checked: integer("checked").notNull().default(0),
    drifted: integer("drifted").notNull().default(0),
    corrected: integer("corrected").notNull().default(0),
    alerted: integer("alerted").notNull().default(0),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (table) => [index("inventory_drift_runs_shop").on(table.shop, table.startedAt)],
);

/** Shopify and the hub disagreed about one SKU at one location. */
export const inventoryDrift = sqliteTable(
  "inventory_drift",
  {
    id: text("id").primaryKey(),
    runId: text("run_id").notNull(),
    shop: text("shop").notNull(),
    sku: text("sku").notNull(),
    /** The OMS location code. */
    locationId: text("location_id").notNull(),
    /** Shopify's `available`; null when the location does not stock the item. */
    shopify: integer("shopify"),
    /** The hub's ATS. */
    hub: integer("hub").notNull(),
    /** On-hand in the OMS's last snapshot the hub kept, if any. */
    omsSnapshot: integer("oms_snapshot"),
    /** Shopify − hub (Shopify's null counts as 0). */
    drift: integer("drift").notNull(),
    /**
     * `corrected`: within tolerance, the hub's ATS was pushed; `push_owed`: Shopify still
     * showed the hub's last push and the newer ATS was pushed; `alerted`: above tolerance
     * (or not correctable), a ticket was raised and nothing pushed.
     */
    action: text("action", { enum: ["corrected", "push_owed", "alerted"] }).notNull(),
    checkedAt: integer("checked_at").notNull(),
  },
  (table) => [
    index("inventory_drift_run").on(table.runId),
    index("inventory_drift_sku").on(table.shop, table.sku),
  ],
);
