import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Price books: D1 is their truth, KV their published copy (docs/pricing.md). Money is held
 * in integer minor units of the row's currency; times are epoch milliseconds. `version` on
 * a row is the price-book version that last changed it.
 */

/** A list price list (one per shop and currency) or a contract price list. */
export const priceLists = sqliteTable(
  "price_lists",
  {
    shop: text("shop").notNull(),
    id: text("id").notNull(),
    kind: text("kind", { enum: ["list", "contract"] }).notNull(),
    currency: text("currency").notNull(),
    name: text("name"),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.id] })],
);

/**
 * One SKU's prices in one list. `tiers` is JSON `[[minQuantity, unitPriceMinor], ...]`
 * sorted by minQuantity, the first at 1; `quantityRule` JSON `{minimum, maximum, increment}`.
 * `currency` and `skuHash` are copied in so a publish can rebuild one KV bucket in SQL.
 */
export const priceEntries = sqliteTable(
  "price_entries",
  {
    shop: text("shop").notNull(),
    priceListId: text("price_list_id").notNull(),
    sku: text("sku").notNull(),
    currency: text("currency").notNull(),
    skuHash: integer("sku_hash").notNull(),
    tiers: text("tiers").notNull(),
    quantityRule: text("quantity_rule"),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.priceListId, table.sku] }),
    index("price_entries_bucket").on(table.shop, table.currency, table.skuHash),
  ],
);

/**
 * The contract list of a company or of a company location: at most one each, so the
 * primary key makes a new assignment replace the old one.
 */
export const priceAssignments = sqliteTable(
  "price_assignments",
  {
    shop: text("shop").notNull(),
    subjectType: text("subject_type", { enum: ["company", "location"] }).notNull(),
    subjectId: text("subject_id").notNull(),
    subjectHash: integer("subject_hash").notNull(),
    priceListId: text("price_list_id").notNull(),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.subjectType, table.subjectId] }),
    index("price_assignments_list").on(table.shop, table.priceListId),
  ],
);

/**
 * A promotion on list prices: active on [startsAt, endsAt), for some SKUs (JSON array) or
 * all (`null`), for some companies (JSON array) or all buyers (`null`), at a fixed unit
 * price in `currency` or a percent off in basis points (any currency when `currency` is null).
 */
export const pricePromotions = sqliteTable(
  "price_promotions",
  {
    shop: text("shop").notNull(),
    id: text("id").notNull(),
    currency: text("currency"),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    skus: text("skus"),
    companyIds: text("company_ids"),
    fixedUnitPrice: integer("fixed_unit_price"),
    percentOffBasisPoints: integer("percent_off_basis_points"),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.id] })],
);

/**
 * Per shop: the newest price-book version in D1, what KV serves (`publishedVersion`,
 * `generation`, the pointer as JSON) and the publish lease that serialises publishers so
 * the pointer key is written at most once a second.
 */
export const priceBookHeads = sqliteTable("price_book_heads", {
  shop: text("shop").primaryKey(),
  version: integer("version").notNull(),
  publishedVersion: integer("published_version").notNull(),
  generation: integer("generation").notNull(),
  pointer: text("pointer"),
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until").notNull(),
  lastPointerWriteAt: integer("last_pointer_write_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every price-book version: who made it, how, how many rows changed, when KV got it. */
export const priceBookVersions = sqliteTable(
  "price_book_versions",
  {
    shop: text("shop").notNull(),
    version: integer("version").notNull(),
    kind: text("kind", { enum: ["full", "incremental"] }).notNull(),
    actor: text("actor").notNull(),
    changes: integer("changes").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.version] })],
);

/** Every KV key a publish wrote, so superseded generations can be deleted later. */
export const priceKvKeys = sqliteTable(
  "price_kv_keys",
  {
    shop: text("shop").notNull(),
    generation: integer("generation").notNull(),
    key: text("key").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.key] }),
    index("price_kv_keys_generation").on(table.shop, table.generation),
  ],
);

/**
 * The buyer directory, kept from company and customer webhooks and the Admin API backfill:
 * which customer is a contact of which company, and (when known) which locations the
 * contact may buy for.
 */
export const buyerContacts = sqliteTable(
  "buyer_contacts",
  {
    shop: text("shop").notNull(),
    contactId: text("contact_id").notNull(),
    customerId: text("customer_id").notNull(),
    companyId: text("company_id").notNull(),
    /** JSON array of location ids the contact holds a role at; null when unknown. */
    locationIds: text("location_ids"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.contactId] }),
    index("buyer_contacts_customer").on(table.shop, table.customerId),
    index("buyer_contacts_company").on(table.shop, table.companyId),
  ],
);

/** Company locations and their company, from `company_locations/*` and the backfill. */
export const buyerLocations = sqliteTable(
  "buyer_locations",
  {
    shop: text("shop").notNull(),
    locationId: text("location_id").notNull(),
    companyId: text("company_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.locationId] }),
    index("buyer_locations_company").on(table.shop, table.companyId),
  ],
);

/** When the Admin API was last asked about a customer, so a miss is not re-asked per request. */
export const buyerLookups = sqliteTable(
  "buyer_lookups",
  {
    shop: text("shop").notNull(),
    customerId: text("customer_id").notNull(),
    checkedAt: integer("checked_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.customerId] })],
);
