import { canonicalJson } from "../audit/canonical-json";
import type { Assignment, PriceBook, PriceEntry, PriceList, Promotion } from "./model";

/** One row-level change to a price book, with the value before and after (null: absent). */
export type BookChange =
  | { kind: "priceList"; key: string; before: PriceList | null; after: PriceList | null }
  | { kind: "entry"; key: string; before: PriceEntry | null; after: PriceEntry | null }
  | { kind: "assignment"; key: string; before: Assignment | null; after: Assignment | null }
  | { kind: "promotion"; key: string; before: Promotion | null; after: Promotion | null };

export const listKey = (list: { id: string }) => list.id;
export const entryKey = (entry: { priceListId: string; sku: string }) =>
  `${entry.priceListId}\u0000${entry.sku}`;
export const assignmentKey = (assignment: { subjectType: string; subjectId: string }) =>
  `${assignment.subjectType}:${assignment.subjectId}`;
export const promotionKey = (promotion: { id: string }) => promotion.id;

/**
 * The changes that turn `current` into `target`, rows compared by value. With
 * `removeMissing` (a full pull) rows absent from `target` are deleted; without it (an
 * on-demand change) only rows `target` names are touched.
 */
export function diffBooks(
  current: PriceBook,
  target: PriceBook,
  removeMissing: boolean,
): BookChange[] {
  return [
    ...diffRows("priceList", current.priceLists, target.priceLists, listKey, removeMissing),
    ...diffRows("entry", current.entries, target.entries, entryKey, removeMissing),
    ...diffRows(
      "assignment",
      current.assignments,
      target.assignments,
      assignmentKey,
      removeMissing,
    ),
    ...diffRows("promotion", current.promotions, target.promotions, promotionKey, removeMissing),
  ];
}

function diffRows<K extends BookChange["kind"], T extends NonNullable<BookChange["after"]>>(
  kind: K,
  current: readonly T[],
  target: readonly T[],
  keyOf: (row: T) => string,
  removeMissing: boolean,
): BookChange[] {
  const before = new Map(current.map((row) => [keyOf(row), row]));
  const changes: { kind: K; key: string; before: T | null; after: T | null }[] = [];
  const seen = new Set<string>();
  for (const row of target) {
    const key = keyOf(row);
    seen.add(key);
    const old = before.get(key) ?? null;
    if (old === null || canonicalJson(old) !== canonicalJson(row)) {
      changes.push({ kind, key, before: old, after: row });
    }
  }
  if (removeMissing) {
    for (const [key, old] of before) {
      if (!seen.has(key)) changes.push({ kind, key, before: old, after: null });
    }
  }
  // Each element pairs a kind with rows of that kind's type, which the union spells out.
  return changes as BookChange[];
}
