import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Inventory's mapping to Shopify ids, cached from the Admin API: refreshed nightly and
 * looked up on a miss. Times are epoch milliseconds.
 */

/** SKU → Shopify InventoryItem GID, per shop. */
export const inventoryItemMap = sqliteTable(
  "inventory_item_map",
  {
    shop: text("shop").notNull(),
    sku: text("sku").notNull(),
    inventoryItemId: text("inventory_item_id").notNull(),
    refreshedAt: integer("refreshed_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.sku] })],
);

/** OMS/WMS location code → Shopify Location GID, per shop. */
export const inventoryLocationMap = sqliteTable(
  "inventory_location_map",
  {
    shop: text("shop").notNull(),
    locationCode: text("location_code").notNull(),
    shopifyLocationId: text("shopify_location_id").notNull(),
    refreshedAt: integer("refreshed_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.locationCode] }),
    index("inventory_location_map_refreshed").on(table.shop, table.refreshedAt),
  ],
);
