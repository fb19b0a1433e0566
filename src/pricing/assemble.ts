import { z } from "zod";
import { BookRuleError } from "./book-rules";
import type { Assignment, PriceBook, PriceEntry, PriceList, Promotion } from "./model";
import {
  BookFormatError,
  toAssignment,
  toEntry,
  toPriceList,
  toPromotion,
  WireAssignmentSchema,
  WireEntrySchema,
  WirePriceListSchema,
  WirePromotionSchema,
} from "./wire";

/** One page of `GET {ERP_URL}/v1/price-books` (docs/connectors.md "Price books"). */
export const PriceBookPageSchema = z.object({
  priceLists: z.array(WirePriceListSchema).default([]),
  entries: z.array(WireEntrySchema).default([]),
  assignments: z.array(WireAssignmentSchema).default([]),
  promotions: z.array(WirePromotionSchema).default([]),
  nextCursor: z.string().min(1).max(1000).nullish(),
});
export type PriceBookPage = z.infer<typeof PriceBookPageSchema>;

/**
 * Joins every page of a full pull into one price book and checks it whole: ids unique,
 * one list price list per currency, entries on declared lists with amounts exact in the
 * list's currency, assignments to contract lists (a later one for the same subject wins).
 * @throws {BookRuleError} naming the first offending element.
 */
export function assembleBook(pages: readonly PriceBookPage[]): PriceBook {
  const lists = new Map<string, PriceList>();
  const listOfCurrency = new Map<string, string>();
  pages.forEach((page, p) => {
    page.priceLists.forEach((wire, i) => {
      const path = `pages.${p}.priceLists.${i}`;
      if (lists.has(wire.id))
        throw new BookRuleError("duplicate_id", path, `price list ${wire.id} appears twice`);
      const list = toPriceList(wire);
      if (list.kind === "list") {
        const other = listOfCurrency.get(list.currency);
        if (other) {
          throw new BookRuleError(
            "duplicate_list_price_list",
            path,
            `${list.currency} already has the list price list ${other}`,
          );
        }
        listOfCurrency.set(list.currency, list.id);
      }
      lists.set(list.id, list);
    });
  });

  const entries = new Map<string, PriceEntry>();
  const assignments = new Map<string, Assignment>();
  const promotions = new Map<string, Promotion>();
  pages.forEach((page, p) => {
    page.entries.forEach((wire, i) => {
      const path = `pages.${p}.entries.${i}`;
      const list = lists.get(wire.priceListId);
      if (!list)
        throw new BookRuleError("unknown_price_list", path, `no price list ${wire.priceListId}`);
      const key = `${wire.priceListId}\u0000${wire.sku}`;
      if (entries.has(key)) {
        throw new BookRuleError(
          "duplicate_id",
          path,
          `${wire.sku} appears twice in ${wire.priceListId}`,
        );
      }
      entries.set(
        key,
        convert(() => toEntry(wire, list.currency, path)),
      );
    });
    page.assignments.forEach((wire, i) => {
      const assignment = toAssignment(wire);
      requireContractList(lists, assignment.priceListId, `pages.${p}.assignments.${i}`);
      assignments.set(`${assignment.subjectType}:${assignment.subjectId}`, assignment);
    });
    page.promotions.forEach((wire, i) => {
      const path = `pages.${p}.promotions.${i}`;
      if (promotions.has(wire.id))
        throw new BookRuleError("duplicate_id", path, `promotion ${wire.id} appears twice`);
      promotions.set(
        wire.id,
        convert(() => toPromotion(wire, path)),
      );
    });
  });

  return {
    priceLists: [...lists.values()],
    entries: [...entries.values()],
    assignments: [...assignments.values()],
    promotions: [...promotions.values()],
  };
}

/** @throws {BookRuleError} unless `priceListId` names a contract list in `lists`. */
export function requireContractList(
  lists: ReadonlyMap<string, PriceList>,
  priceListId: string,
  path: string,
): void {
  const list = lists.get(priceListId);
  if (!list) throw new BookRuleError("unknown_price_list", path, `no price list ${priceListId}`);
  if (list.kind !== "contract") {
    throw new BookRuleError(
      "not_a_contract_list",
      path,
      `${priceListId} is a ${list.kind} price list`,
    );
  }
}

/** Runs a wire-to-model conversion, turning an inexact amount into a rule error. */
export function convert<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BookFormatError) {
      throw new BookRuleError("invalid_amount", error.path, error.message);
    }
    throw error;
  }
}
