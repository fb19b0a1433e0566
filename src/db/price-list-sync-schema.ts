import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Contract price lists pushed to Shopify's B2B price lists (docs/pricing.md "Shopify B2B
 * price lists"): which Shopify PriceList each contract list feeds, what each SKU's push
 * last sent, and the SKU → ProductVariant cache.
 */

/**
 * A contract list mapped to a Shopify PriceList, set through the admin API.
 * `pushedVersion` is the price-book version whose changes the last complete push covered.
 */
export const shopifyPriceLists = sqliteTable(
  "shopify_price_lists",
  {
    shop: text("shop").notNull(),
    priceListId: text("price_list_id").notNull(),
    shopifyPriceListId: text("shopify_price_list_id").notNull(),
    pushedVersion: integer("pushed_version").notNull(),
    lastPushAt: integer("last_push_at"),
    /** JSON summary of the last push: counts of pushed, removed and failed entries. */
    lastOutcome: text("last_outcome"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.priceListId] })],
);

/**
 * One entry's state in its Shopify price list. `pushedHash` is the hash of what Shopify
 * holds (null: nothing yet); `hasBreaks`/`hasRule` say what a later push must delete.
 * `failedHash` and `error` keep a rejected version until the entry changes again or the
 * nightly import retries it.
 */
export const shopifyPricePushes = sqliteTable(
  "shopify_price_pushes",
  {
    shop: text("shop").notNull(),
    priceListId: text("price_list_id").notNull(),
    sku: text("sku").notNull(),
    variantId: text("variant_id"),
    pushedHash: text("pushed_hash"),
    hasBreaks: integer("has_breaks", { mode: "boolean" }).notNull(),
    hasRule: integer("has_rule", { mode: "boolean" }).notNull(),
    failedHash: text("failed_hash"),
    error: text("error"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.priceListId, table.sku] })],
);

/**
 * SKU → ProductVariant GID as Shopify last answered: `variantCount` 1 is a mapping, 0 or
 * more than 1 is not (asked again after a day).
 */
export const shopifyVariantSkus = sqliteTable(
  "shopify_variant_skus",
  {
    shop: text("shop").notNull(),
    sku: text("sku").notNull(),
    variantId: text("variant_id"),
    variantCount: integer("variant_count").notNull(),
    checkedAt: integer("checked_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.sku] })],
);
