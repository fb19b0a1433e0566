import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import type { BookChange } from "../pricing/diff";
import { assignmentSlot, fnv1a } from "../pricing/layout";
import type { Assignment, PriceBook, PriceEntry, PriceList, Promotion } from "../pricing/model";
import type { Database } from "./client";
import { priceAssignments, priceEntries, priceLists, pricePromotions } from "./schema";

/**
 * Price-book rows in D1: reading them back as the domain model, and writing a set of
 * {@link BookChange}s under one version. Money stays in minor units.
 */

type Statement = BatchItem<"sqlite">;

const TiersJsonSchema = z.array(z.tuple([z.number().int(), z.number().int()]));
const RuleJsonSchema = z
  .object({
    minimum: z.number().int(),
    maximum: z.number().int().nullable(),
    increment: z.number().int(),
  })
  .nullable();
const IdsJsonSchema = z.array(z.string()).nullable();

function json<S extends z.ZodType>(schema: S, text: string | null): z.infer<S> {
  return schema.parse(text === null ? null : JSON.parse(text));
}

export function entryFromRow(row: typeof priceEntries.$inferSelect): PriceEntry {
  return {
    priceListId: row.priceListId,
    sku: row.sku,
    tiers: json(TiersJsonSchema, row.tiers).map(([minQuantity, unitPrice]) => ({
      minQuantity,
      unitPrice,
    })),
    quantityRule: json(RuleJsonSchema, row.quantityRule),
  };
}

export function promotionFromRow(row: typeof pricePromotions.$inferSelect): Promotion {
  return {
    id: row.id,
    currency: row.currency,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    skus: json(IdsJsonSchema, row.skus),
    companyIds: json(IdsJsonSchema, row.companyIds),
    fixedUnitPrice: row.fixedUnitPrice,
    percentOffBasisPoints: row.percentOffBasisPoints,
  };
}

const listFromRow = (row: typeof priceLists.$inferSelect): PriceList => ({
  id: row.id,
  kind: row.kind,
  currency: row.currency,
  name: row.name,
});

const assignmentFromRow = (row: typeof priceAssignments.$inferSelect): Assignment => ({
  subjectType: row.subjectType,
  subjectId: row.subjectId,
  priceListId: row.priceListId,
});

/** The whole current price book of a shop. */
export async function loadPriceBook(db: Database, shop: string): Promise<PriceBook> {
  const [lists, entries, assignments, promotions] = await Promise.all([
    db.select().from(priceLists).where(eq(priceLists.shop, shop)),
    db.select().from(priceEntries).where(eq(priceEntries.shop, shop)),
    db.select().from(priceAssignments).where(eq(priceAssignments.shop, shop)),
    db.select().from(pricePromotions).where(eq(pricePromotions.shop, shop)),
  ]);
  return {
    priceLists: lists.map(listFromRow),
    entries: entries.map(entryFromRow),
    assignments: assignments.map(assignmentFromRow),
    promotions: promotions.map(promotionFromRow),
  };
}

/** Keys of the rows an on-demand change touches, to load only those. */
export interface BookKeys {
  priceListIds: string[];
  entries: { priceListId: string; sku: string }[];
  /** Lists whose every entry and assignment is loaded (they are being deleted). */
  wholeLists: string[];
  assignments: { subjectType: "company" | "location"; subjectId: string }[];
  promotionIds: string[];
}

// Comfortably under D1's 100 bound parameters per statement.
const IN_CHUNK = 90;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

/** The current rows named by `keys`, plus every list of the shop (for currency checks). */
export async function loadBookRows(db: Database, shop: string, keys: BookKeys): Promise<PriceBook> {
  const lists = await db.select().from(priceLists).where(eq(priceLists.shop, shop));

  const entries: PriceEntry[] = [];
  const bySku = new Map<string, string[]>();
  for (const entry of keys.entries) {
    bySku.set(entry.priceListId, [...(bySku.get(entry.priceListId) ?? []), entry.sku]);
  }
  for (const [priceListId, skus] of bySku) {
    for (const part of chunks(skus)) {
      const rows = await db
        .select()
        .from(priceEntries)
        .where(
          and(
            eq(priceEntries.shop, shop),
            eq(priceEntries.priceListId, priceListId),
            inArray(priceEntries.sku, part),
          ),
        );
      entries.push(...rows.map(entryFromRow));
    }
  }
  for (const part of chunks(keys.wholeLists)) {
    const rows = await db
      .select()
      .from(priceEntries)
      .where(and(eq(priceEntries.shop, shop), inArray(priceEntries.priceListId, part)));
    entries.push(...rows.map(entryFromRow));
  }

  const assignments: Assignment[] = [];
  const subjects = keys.assignments.map((a) => `${a.subjectType}:${a.subjectId}`);
  for (const part of chunks(subjects)) {
    const rows = await db
      .select()
      .from(priceAssignments)
      .where(
        and(
          eq(priceAssignments.shop, shop),
          inArray(
            sql`${priceAssignments.subjectType} || ':' || ${priceAssignments.subjectId}`,
            part,
          ),
        ),
      );
    assignments.push(...rows.map(assignmentFromRow));
  }
  for (const part of chunks(keys.wholeLists)) {
    const rows = await db
      .select()
      .from(priceAssignments)
      .where(and(eq(priceAssignments.shop, shop), inArray(priceAssignments.priceListId, part)));
    assignments.push(...rows.map(assignmentFromRow));
  }

  const promotions: Promotion[] = [];
  for (const part of chunks(keys.promotionIds)) {
    const rows = await db
      .select()
      .from(pricePromotions)
      .where(and(eq(pricePromotions.shop, shop), inArray(pricePromotions.id, part)));
    promotions.push(...rows.map(promotionFromRow));
  }

  return { priceLists: lists.map(listFromRow), entries, assignments, promotions };
}

// Rows per multi-row insert so that columns × rows stays ≤ 100 bound parameters.
const ROWS = { lists: 14, entries: 11, assignments: 14, promotions: 9 } as const;
// Statements per D1 batch; each batch is atomic.
const STATEMENTS_PER_BATCH = 200;

/**
 * Writes `changes` for `shop` as of `version`: upserts for created or changed rows,
 * deletes for removed ones. Changes are written in atomic batches in order; a full pull
 * may span several, which is safe because nothing reads D1 for prices until the publish
 * that follows.
 */
export async function writeBookChanges(
  db: Database,
  shop: string,
  version: number,
  changes: readonly BookChange[],
  currencyOf: (priceListId: string) => string,
  now = Date.now(),
): Promise<void> {
  const statements = [
    ...listStatements(db, shop, version, changes, now),
    ...entryStatements(db, shop, version, changes, currencyOf, now),
    ...assignmentStatements(db, shop, version, changes, now),
    ...promotionStatements(db, shop, version, changes, now),
  ];
  for (const part of chunks(statements, STATEMENTS_PER_BATCH)) {
    const [first, ...rest] = part;
    if (first) await db.batch([first, ...rest]);
  }
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

function listStatements(
  db: Database,
  shop: string,
  version: number,
  changes: readonly BookChange[],
  now: number,
): Statement[] {
  const upserts: (typeof priceLists.$inferInsert)[] = [];
  const deletes: string[] = [];
  for (const change of changes) {
    if (change.kind !== "priceList") continue;
    if (change.after) {
      upserts.push({ shop, ...change.after, version, updatedAt: now });
    } else if (change.before) {
      deletes.push(change.before.id);
    }
  }
  return [
    ...chunks(upserts, ROWS.lists).map((rows) =>
      db
        .insert(priceLists)
        .values(rows)
        .onConflictDoUpdate({
          target: [priceLists.shop, priceLists.id],
          set: {
            kind: excluded("kind"),
            currency: excluded("currency"),
            name: excluded("name"),
            version: excluded("version"),
            updatedAt: excluded("updated_at"),
          },
        }),
    ),
    ...chunks(deletes).map((ids) =>
      db.delete(priceLists).where(and(eq(priceLists.shop, shop), inArray(priceLists.id, ids))),
    ),
  ];
}

function entryStatements(
  db: Database,
  shop: string,
  version: number,
  changes: readonly BookChange[],
  currencyOf: (priceListId: string) => string,
  now: number,
): Statement[] {
  const upserts: (typeof priceEntries.$inferInsert)[] = [];
  const deletes = new Map<string, string[]>();
  for (const change of changes) {
    if (change.kind !== "entry") continue;
    const entry = change.after;
    if (entry) {
      upserts.push({
        shop,
        priceListId: entry.priceListId,
        sku: entry.sku,
        currency: currencyOf(entry.priceListId),
        skuHash: fnv1a(entry.sku),
        tiers: JSON.stringify(entry.tiers.map((tier) => [tier.minQuantity, tier.unitPrice])),
        quantityRule: entry.quantityRule ? JSON.stringify(entry.quantityRule) : null,
        version,
        updatedAt: now,
      });
    } else if (change.before) {
      const { priceListId, sku } = change.before;
      deletes.set(priceListId, [...(deletes.get(priceListId) ?? []), sku]);
    }
  }
  const statements: Statement[] = chunks(upserts, ROWS.entries).map((rows) =>
    db
      .insert(priceEntries)
      .values(rows)
      .onConflictDoUpdate({
        target: [priceEntries.shop, priceEntries.priceListId, priceEntries.sku],
        set: {
          currency: excluded("currency"),
          skuHash: excluded("sku_hash"),
          tiers: excluded("tiers"),
          quantityRule: excluded("quantity_rule"),
          version: excluded("version"),
          updatedAt: excluded("updated_at"),
        },
      }),
  );
  for (const [priceListId, skus] of deletes) {
    for (const part of chunks(skus)) {
      statements.push(
        db
          .delete(priceEntries)
          .where(
            and(
              eq(priceEntries.shop, shop),
              eq(priceEntries.priceListId, priceListId),
              inArray(priceEntries.sku, part),
            ),
          ),
      );
    }
  }
  return statements;
}

function assignmentStatements(
  db: Database,
  shop: string,
  version: number,
  changes: readonly BookChange[],
  now: number,
): Statement[] {
  const statements: Statement[] = [];
  const upserts: (typeof priceAssignments.$inferInsert)[] = [];
  for (const change of changes) {
    if (change.kind !== "assignment") continue;
    const row = change.after;
    if (row) {
      upserts.push({
        shop,
        ...row,
        subjectHash: fnv1a(assignmentSlot(row.subjectType, row.subjectId)),
        version,
        updatedAt: now,
      });
    } else if (change.before) {
      statements.push(
        db
          .delete(priceAssignments)
          .where(
            and(
              eq(priceAssignments.shop, shop),
              eq(priceAssignments.subjectType, change.before.subjectType),
              eq(priceAssignments.subjectId, change.before.subjectId),
            ),
          ),
      );
    }
  }
  for (const rows of chunks(upserts, ROWS.assignments)) {
    statements.push(
      db
        .insert(priceAssignments)
        .values(rows)
        .onConflictDoUpdate({
          target: [priceAssignments.shop, priceAssignments.subjectType, priceAssignments.subjectId],
          set: {
            priceListId: excluded("price_list_id"),
            subjectHash: excluded("subject_hash"),
            version: excluded("version"),
            updatedAt: excluded("updated_at"),
          },
        }),
    );
  }
  return statements;
}

function promotionStatements(
  db: Database,
  shop: string,
  version: number,
  changes: readonly BookChange[],
  now: number,
): Statement[] {
  const upserts: (typeof pricePromotions.$inferInsert)[] = [];
  const deletes: string[] = [];
  for (const change of changes) {
    if (change.kind !== "promotion") continue;
    const promo = change.after;
    if (promo) {
      upserts.push({
        shop,
        ...promo,
        skus: promo.skus ? JSON.stringify(promo.skus) : null,
        companyIds: promo.companyIds ? JSON.stringify(promo.companyIds) : null,
        version,
        updatedAt: now,
      });
    } else if (change.before) {
      deletes.push(change.before.id);
    }
  }
  return [
    ...chunks(upserts, ROWS.promotions).map((rows) =>
      db
        .insert(pricePromotions)
        .values(rows)
        .onConflictDoUpdate({
          target: [pricePromotions.shop, pricePromotions.id],
          set: {
            currency: excluded("currency"),
            startsAt: excluded("starts_at"),
            endsAt: excluded("ends_at"),
            skus: excluded("skus"),
            companyIds: excluded("company_ids"),
            fixedUnitPrice: excluded("fixed_unit_price"),
            percentOffBasisPoints: excluded("percent_off_basis_points"),
            version: excluded("version"),
            updatedAt: excluded("updated_at"),
          },
        }),
    ),
    ...chunks(deletes).map((ids) =>
      db
        .delete(pricePromotions)
        .where(and(eq(pricePromotions.shop, shop), inArray(pricePromotions.id, ids))),
    ),
  ];
}

/** Every price list of a shop, by id. */
export async function loadPriceLists(db: Database, shop: string): Promise<Map<string, PriceList>> {
  const rows = await db.select().from(priceLists).where(eq(priceLists.shop, shop));
  return new Map(rows.map((row) => [row.id, listFromRow(row)]));
}

/** The entries of one KV entry bucket: `currency`, SKU hash ≡ `bucket` (mod `count`). */
export async function entriesInBucket(
  db: Database,
  shop: string,
  currency: string,
  count: number,
  bucket: number,
): Promise<PriceEntry[]> {
  const rows = await db
    .select()
    .from(priceEntries)
    .where(
      and(
        eq(priceEntries.shop, shop),
        eq(priceEntries.currency, currency),
        sql`${priceEntries.skuHash} % ${count} = ${bucket}`,
      ),
    );
  return rows.map(entryFromRow);
}

/** The assignments of one KV assignment bucket. */
export async function assignmentsInBucket(
  db: Database,
  shop: string,
  count: number,
  bucket: number,
): Promise<Assignment[]> {
  const rows = await db
    .select()
    .from(priceAssignments)
    .where(
      and(
        eq(priceAssignments.shop, shop),
        sql`${priceAssignments.subjectHash} % ${count} = ${bucket}`,
      ),
    );
  return rows.map(assignmentFromRow);
}

/** Promotions priced in `currency` or in every currency. */
export async function promotionsFor(
  db: Database,
  shop: string,
  currency: string,
): Promise<Promotion[]> {
  const rows = await db
    .select()
    .from(pricePromotions)
    .where(
      and(
        eq(pricePromotions.shop, shop),
        sql`(${pricePromotions.currency} = ${currency} or ${pricePromotions.currency} is null)`,
      ),
    );
  return rows.map(promotionFromRow);
}
