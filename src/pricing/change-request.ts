import { z } from "zod";
import { ShopDomainSchema } from "../config/settings";
import type { BookKeys } from "../db/price-books";
import { convert, requireContractList } from "./assemble";
import { BookRuleError } from "./book-rules";
import { assignmentKey, type BookChange, diffBooks, entryKey } from "./diff";
import { BookIdSchema, CompanyIdSchema, CompanyLocationIdSchema, SkuSchema } from "./identifiers";
import type { Assignment, PriceBook, PriceEntry, PriceList, Promotion } from "./model";
import {
  toAssignment,
  toEntry,
  toPriceList,
  toPromotion,
  WireAssignmentSchema,
  WireEntrySchema,
  WirePriceListSchema,
  WirePromotionSchema,
} from "./wire";

// One request stays a small, fast D1 write; larger changes belong to the nightly pull.
const MAX_CHANGES = 100;
const MAX_ENTRIES = 5000;

const EntryRefSchema = z.object({ priceListId: BookIdSchema, sku: SkuSchema });

export const PriceChangeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("priceList.upsert"), priceList: WirePriceListSchema }),
  z.object({ type: z.literal("priceList.delete"), priceListId: BookIdSchema }),
  z.object({
    type: z.literal("entries.upsert"),
    entries: z.array(WireEntrySchema).min(1).max(MAX_ENTRIES),
  }),
  z.object({
    type: z.literal("entries.delete"),
    entries: z.array(EntryRefSchema).min(1).max(MAX_ENTRIES),
  }),
  z.object({ type: z.literal("assignment.set"), assignment: WireAssignmentSchema }),
  z.object({
    type: z.literal("assignment.delete"),
    subject: z.union([
      z.object({ companyLocationId: CompanyLocationIdSchema }),
      z.object({ companyId: CompanyIdSchema }),
    ]),
  }),
  z.object({ type: z.literal("promotion.upsert"), promotion: WirePromotionSchema }),
  z.object({ type: z.literal("promotion.delete"), promotionId: BookIdSchema }),
]);
export type PriceChange = z.infer<typeof PriceChangeSchema>;

/** The body of `POST /connectors/erp/price-changes`: changes applied in order, all or none. */
export const PriceChangesSchema = z
  .object({ shop: ShopDomainSchema, changes: z.array(PriceChangeSchema).min(1).max(MAX_CHANGES) })
  .refine(
    (body) =>
      body.changes.reduce(
        (sum, change) => sum + ("entries" in change ? change.entries.length : 0),
        0,
      ) <= MAX_ENTRIES,
    { message: `at most ${MAX_ENTRIES} entries per request`, path: ["changes"] },
  );
export type PriceChanges = z.infer<typeof PriceChangesSchema>;

/** The D1 rows a change request reads before it can be planned. */
export function keysOf(changes: readonly PriceChange[]): BookKeys {
  const keys: BookKeys = {
    priceListIds: [],
    entries: [],
    wholeLists: [],
    assignments: [],
    promotionIds: [],
  };
  for (const change of changes) {
    switch (change.type) {
      case "priceList.upsert":
        keys.priceListIds.push(change.priceList.id);
        break;
      case "priceList.delete":
        keys.wholeLists.push(change.priceListId);
        break;
      case "entries.upsert":
      case "entries.delete":
        keys.entries.push(...change.entries.map(({ priceListId, sku }) => ({ priceListId, sku })));
        break;
      case "assignment.set":
        keys.assignments.push(toAssignment(change.assignment));
        break;
      case "assignment.delete":
        keys.assignments.push(subjectOf(change.subject));
        break;
      case "promotion.upsert":
        keys.promotionIds.push(change.promotion.id);
        break;
      case "promotion.delete":
        keys.promotionIds.push(change.promotionId);
        break;
    }
  }
  return keys;
}

function subjectOf(subject: { companyLocationId: string } | { companyId: string }) {
  return "companyLocationId" in subject
    ? { subjectType: "location" as const, subjectId: subject.companyLocationId }
    : { subjectType: "company" as const, subjectId: subject.companyId };
}

/**
 * Applies `changes` in order to the rows they touch (`current`, loaded by {@link keysOf})
 * and returns the row-level changes. Deleting a list deletes its entries and assignments.
 * @throws {BookRuleError} naming the change that breaks a rule; nothing is applied then.
 */
export function planChanges(current: PriceBook, changes: readonly PriceChange[]): BookChange[] {
  const lists = new Map(current.priceLists.map((list) => [list.id, list]));
  const entries = new Map(current.entries.map((entry) => [entryKey(entry), entry]));
  const assignments = new Map(current.assignments.map((a) => [assignmentKey(a), a]));
  const promotions = new Map(current.promotions.map((promo) => [promo.id, promo]));

  changes.forEach((change, index) => {
    const path = `changes.${index}`;
    switch (change.type) {
      case "priceList.upsert":
        upsertList(lists, toPriceList(change.priceList), `${path}.priceList`);
        break;
      case "priceList.delete":
        lists.delete(change.priceListId);
        for (const [key, entry] of entries)
          if (entry.priceListId === change.priceListId) entries.delete(key);
        for (const [key, a] of assignments)
          if (a.priceListId === change.priceListId) assignments.delete(key);
        break;
      case "entries.upsert":
        change.entries.forEach((wire, i) => {
          const list = lists.get(wire.priceListId);
          const at = `${path}.entries.${i}`;
          if (!list)
            throw new BookRuleError("unknown_price_list", at, `no price list ${wire.priceListId}`);
          const entry: PriceEntry = convert(() => toEntry(wire, list.currency, at));
          entries.set(entryKey(entry), entry);
        });
        break;
      case "entries.delete":
        for (const ref of change.entries) entries.delete(entryKey(ref));
        break;
      case "assignment.set": {
        const assignment: Assignment = toAssignment(change.assignment);
        requireContractList(lists, assignment.priceListId, `${path}.assignment.priceListId`);
        assignments.set(assignmentKey(assignment), assignment);
        break;
      }
      case "assignment.delete":
        assignments.delete(assignmentKey(subjectOf(change.subject)));
        break;
      case "promotion.upsert": {
        const promotion: Promotion = convert(() =>
          toPromotion(change.promotion, `${path}.promotion`),
        );
        promotions.set(promotion.id, promotion);
        break;
      }
      case "promotion.delete":
        promotions.delete(change.promotionId);
        break;
    }
  });

  return diffBooks(
    current,
    {
      priceLists: [...lists.values()],
      entries: [...entries.values()],
      assignments: [...assignments.values()],
      promotions: [...promotions.values()],
    },
    true,
  );
}

function upsertList(lists: Map<string, PriceList>, list: PriceList, path: string): void {
  const existing = lists.get(list.id);
  if (existing && existing.currency !== list.currency) {
    throw new BookRuleError(
      "price_list_currency_change",
      path,
      `${list.id} is priced in ${existing.currency}; create a new list for ${list.currency}`,
    );
  }
  if (list.kind === "list") {
    for (const other of lists.values()) {
      if (other.id !== list.id && other.kind === "list" && other.currency === list.currency) {
        throw new BookRuleError(
          "duplicate_list_price_list",
          path,
          `${list.currency} already has the list price list ${other.id}`,
        );
      }
    }
  }
  lists.set(list.id, list);
}
