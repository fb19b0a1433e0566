import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { PriceEntry } from "../pricing/model";
import type { Database } from "./client";
import { entryFromRow } from "./price-books";
import {
  priceBookHeads,
  priceEntries,
  priceLists,
  shopifyPriceLists,
  shopifyPricePushes,
  shopifyVariantSkus,
} from "./schema";

/** Reads and writes of the Shopify price-list push state (./price-list-sync-schema.ts). */

export type PriceListMapping = typeof shopifyPriceLists.$inferSelect;
export type PushRow = typeof shopifyPricePushes.$inferSelect;

// D1 binds at most 100 parameters per query; the shop and list take two.
const KEYS_PER_QUERY = 90;
// Rows per multi-row upsert: 10 columns × 9 rows stays under 100 parameters.
const PUSH_ROWS_PER_INSERT = 9;
const VARIANT_ROWS_PER_INSERT = 19;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

/** The mappings of one shop, or of every shop. */
export async function listMappings(db: Database, shop?: string): Promise<PriceListMapping[]> {
  const rows = db.select().from(shopifyPriceLists);
  return shop ? rows.where(eq(shopifyPriceLists.shop, shop)) : rows;
}

export async function findMapping(
  db: Database,
  shop: string,
  priceListId: string,
): Promise<PriceListMapping | undefined> {
  const [row] = await db
    .select()
    .from(shopifyPriceLists)
    .where(and(eq(shopifyPriceLists.shop, shop), eq(shopifyPriceLists.priceListId, priceListId)));
  return row;
}

/**
 * Maps a contract list to a Shopify PriceList. A new target forgets what was pushed to the
 * old one, so the next push sends the whole list; the same target changes nothing.
 */
export async function setMapping(
  db: Database,
  shop: string,
  priceListId: string,
  shopifyPriceListId: string,
  now = Date.now(),
): Promise<PriceListMapping> {
  const existing = await findMapping(db, shop, priceListId);
  if (existing?.shopifyPriceListId === shopifyPriceListId) return existing;

  const row: PriceListMapping = {
    shop,
    priceListId,
    shopifyPriceListId,
    pushedVersion: 0,
    lastPushAt: null,
    lastOutcome: null,
    updatedAt: now,
  };
  await db.batch([
    db.delete(shopifyPricePushes).where(pushesOf(shop, priceListId)),
    db
      .insert(shopifyPriceLists)
      .values(row)
      .onConflictDoUpdate({
        target: [shopifyPriceLists.shop, shopifyPriceLists.priceListId],
        set: {
          shopifyPriceListId,
          pushedVersion: 0,
          lastPushAt: null,
          lastOutcome: null,
          updatedAt: now,
        },
      }),
  ]);
  return row;
}

/** Removes a mapping and its push state; Shopify's price list is left as it is. */
export async function deleteMapping(db: Database, shop: string, priceListId: string) {
  await db.batch([
    db.delete(shopifyPricePushes).where(pushesOf(shop, priceListId)),
    db
      .delete(shopifyPriceLists)
      .where(and(eq(shopifyPriceLists.shop, shop), eq(shopifyPriceLists.priceListId, priceListId))),
  ]);
}

function pushesOf(shop: string, priceListId: string) {
  return and(eq(shopifyPricePushes.shop, shop), eq(shopifyPricePushes.priceListId, priceListId));
}

/** Records a finished push of a mapping: the version it covered and its summary. */
export async function finishMappingPush(
  db: Database,
  shop: string,
  priceListId: string,
  update: { version: number; outcome: unknown },
  now = Date.now(),
): Promise<void> {
  await db
    .update(shopifyPriceLists)
    .set({
      pushedVersion: update.version,
      lastPushAt: now,
      lastOutcome: JSON.stringify(update.outcome),
      updatedAt: now,
    })
    .where(and(eq(shopifyPriceLists.shop, shop), eq(shopifyPriceLists.priceListId, priceListId)));
}

/** Shops with a mapping that has not been pushed up to the shop's newest book version. */
export async function shopsBehindOnPush(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ shop: shopifyPriceLists.shop })
    .from(shopifyPriceLists)
    .innerJoin(priceBookHeads, eq(priceBookHeads.shop, shopifyPriceLists.shop))
    .where(lt(shopifyPriceLists.pushedVersion, priceBookHeads.version));
  return rows.map((row) => row.shop);
}

/** The shop's newest price-book version in D1 (0 when it has none). */
export async function bookVersion(db: Database, shop: string): Promise<number> {
  const [row] = await db
    .select({ version: priceBookHeads.version })
    .from(priceBookHeads)
    .where(eq(priceBookHeads.shop, shop));
  return row?.version ?? 0;
}

/** A price list's kind and currency, if it exists. */
export async function findPriceList(db: Database, shop: string, priceListId: string) {
  const [row] = await db
    .select({ kind: priceLists.kind, currency: priceLists.currency })
    .from(priceLists)
    .where(and(eq(priceLists.shop, shop), eq(priceLists.id, priceListId)));
  return row;
}

/** Every entry of one price list. */
export async function entriesOfList(
  db: Database,
  shop: string,
  priceListId: string,
): Promise<PriceEntry[]> {
  const rows = await db
    .select()
    .from(priceEntries)
    .where(and(eq(priceEntries.shop, shop), eq(priceEntries.priceListId, priceListId)));
  return rows.map(entryFromRow);
}

/** The push state of every SKU of a list, by SKU. */
export async function loadPushes(
  db: Database,
  shop: string,
  priceListId: string,
): Promise<Map<string, PushRow>> {
  const rows = await db.select().from(shopifyPricePushes).where(pushesOf(shop, priceListId));
  return new Map(rows.map((row) => [row.sku, row]));
}

/** Entries of a list whose last push Shopify refused (or that have no variant), up to `limit`. */
export async function failedPushes(
  db: Database,
  shop: string,
  priceListId: string,
  limit: number,
): Promise<PushRow[]> {
  return db
    .select()
    .from(shopifyPricePushes)
    .where(and(pushesOf(shop, priceListId), isNotNull(shopifyPricePushes.error)))
    .orderBy(shopifyPricePushes.sku)
    .limit(limit);
}

/** Writes push rows (whole rows: pushed, failed or both), replacing what was there. */
export async function savePushes(db: Database, rows: readonly PushRow[]): Promise<void> {
  const statements = chunks(rows, PUSH_ROWS_PER_INSERT).map((part) =>
    db
      .insert(shopifyPricePushes)
      .values(part)
      .onConflictDoUpdate({
        target: [shopifyPricePushes.shop, shopifyPricePushes.priceListId, shopifyPricePushes.sku],
        set: {
          variantId: sql.raw("excluded.variant_id"),
          pushedHash: sql.raw("excluded.pushed_hash"),
          hasBreaks: sql.raw("excluded.has_breaks"),
          hasRule: sql.raw("excluded.has_rule"),
          failedHash: sql.raw("excluded.failed_hash"),
          error: sql.raw("excluded.error"),
          updatedAt: sql.raw("excluded.updated_at"),
        },
      }),
  );
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Forgets the push rows of SKUs removed from Shopify's price list. */
export async function deletePushes(
  db: Database,
  shop: string,
  priceListId: string,
  skus: readonly string[],
): Promise<void> {
  for (const part of chunks(skus, KEYS_PER_QUERY)) {
    await db
      .delete(shopifyPricePushes)
      .where(and(pushesOf(shop, priceListId), inArray(shopifyPricePushes.sku, part)));
  }
}

export type VariantCacheRow = typeof shopifyVariantSkus.$inferSelect;

/** What the cache knows of `skus`, by SKU. */
export async function cachedVariants(
  db: Database,
  shop: string,
  skus: readonly string[],
): Promise<Map<string, VariantCacheRow>> {
  const found = new Map<string, VariantCacheRow>();
  for (const part of chunks(skus, KEYS_PER_QUERY)) {
    const rows = await db
      .select()
      .from(shopifyVariantSkus)
      .where(and(eq(shopifyVariantSkus.shop, shop), inArray(shopifyVariantSkus.sku, part)));
    for (const row of rows) found.set(row.sku, row);
  }
  return found;
}

/** Stores Shopify's answers for SKUs, replacing older ones. */
export async function storeVariants(db: Database, rows: readonly VariantCacheRow[]): Promise<void> {
  const statements = chunks(rows, VARIANT_ROWS_PER_INSERT).map((part) =>
    db
      .insert(shopifyVariantSkus)
      .values(part)
      .onConflictDoUpdate({
        target: [shopifyVariantSkus.shop, shopifyVariantSkus.sku],
        set: {
          variantId: sql.raw("excluded.variant_id"),
          variantCount: sql.raw("excluded.variant_count"),
          checkedAt: sql.raw("excluded.checked_at"),
        },
      }),
  );
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Drops cached mappings Shopify no longer confirms (a push said the variant is gone). */
export async function forgetVariants(db: Database, shop: string, skus: readonly string[]) {
  for (const part of chunks(skus, KEYS_PER_QUERY)) {
    await db
      .delete(shopifyVariantSkus)
      .where(and(eq(shopifyVariantSkus.shop, shop), inArray(shopifyVariantSkus.sku, part)));
  }
}
