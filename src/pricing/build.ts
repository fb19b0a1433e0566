import {
  type AssignmentBucket,
  assignmentBucketName,
  assignmentSlot,
  type EntryBucket,
  entryBucketName,
  fnv1a,
  type PromotionSet,
  type PublishedEntry,
  promotionSetName,
  type SkuPrices,
} from "./layout";
import type { Assignment, PriceEntry, PriceList, Promotion } from "./model";

/**
 * Turns price-book rows into the values a publish writes to KV (./layout.ts). Pure: the
 * same rows always give the same buckets, so a full and an incremental publish agree.
 */

/** How many buckets each space gets in a generation. */
export interface BucketCounts {
  entryBuckets: Record<string, number>;
  assignmentBuckets: number;
}

// A bucket of ~32 SKUs is a few KB: cheap to read cold, and 50 lines touch ≤ 50 buckets.
const SKUS_PER_BUCKET = 32;
const ASSIGNMENTS_PER_BUCKET = 64;

/**
 * Bucket counts for a full publish, keeping the keys it writes (buckets, promotion sets,
 * the pointer) within `maxKeys` by growing buckets when the book is large.
 */
export function planBuckets(
  entries: readonly PriceEntry[],
  lists: ReadonlyMap<string, PriceList>,
  assignmentCount: number,
  maxKeys: number,
): BucketCounts {
  const skusByCurrency = new Map<string, Set<string>>();
  for (const entry of entries) {
    const currency = lists.get(entry.priceListId)?.currency;
    if (!currency) continue;
    const skus = skusByCurrency.get(currency) ?? new Set();
    skus.add(entry.sku);
    skusByCurrency.set(currency, skus);
  }

  for (let scale = 1; ; scale *= 2) {
    const entryBuckets: Record<string, number> = {};
    let keys = 1 + skusByCurrency.size;
    for (const [currency, skus] of skusByCurrency) {
      entryBuckets[currency] = Math.max(1, Math.ceil(skus.size / (SKUS_PER_BUCKET * scale)));
      keys += entryBuckets[currency] ?? 0;
    }
    const assignmentBuckets = Math.max(
      1,
      Math.ceil(assignmentCount / (ASSIGNMENTS_PER_BUCKET * scale)),
    );
    keys += assignmentBuckets;
    if (keys <= maxKeys || scale > 1 << 20) return { entryBuckets, assignmentBuckets };
  }
}

function published(entry: PriceEntry): PublishedEntry {
  return {
    priceListId: entry.priceListId,
    tiers: entry.tiers.map((tier) => [tier.minQuantity, tier.unitPrice]),
    rule: entry.quantityRule,
  };
}

/** Entry buckets by name, for the entries given (all of a currency, or one bucket's). */
export function buildEntryBuckets(
  entries: readonly PriceEntry[],
  lists: ReadonlyMap<string, PriceList>,
  counts: BucketCounts,
): Map<string, EntryBucket> {
  const buckets = new Map<string, EntryBucket>();
  const sorted = [...entries].sort((a, b) =>
    a.sku === b.sku ? cmp(a.priceListId, b.priceListId) : cmp(a.sku, b.sku),
  );
  for (const entry of sorted) {
    const list = lists.get(entry.priceListId);
    const count = list ? counts.entryBuckets[list.currency] : undefined;
    if (!list || count === undefined) continue;
    const name = entryBucketName(list.currency, fnv1a(entry.sku) % count);
    const bucket = buckets.get(name) ?? {};
    const prices: SkuPrices = bucket[entry.sku] ?? {};
    if (list.kind === "list") prices.list = published(entry);
    else prices.contracts = { ...prices.contracts, [entry.priceListId]: published(entry) };
    bucket[entry.sku] = prices;
    buckets.set(name, bucket);
  }
  return buckets;
}

/** Assignment buckets by name; assignments to a missing or non-contract list are left out. */
export function buildAssignmentBuckets(
  assignments: readonly Assignment[],
  lists: ReadonlyMap<string, PriceList>,
  counts: BucketCounts,
): Map<string, AssignmentBucket> {
  const buckets = new Map<string, AssignmentBucket>();
  for (const assignment of assignments) {
    const list = lists.get(assignment.priceListId);
    if (list?.kind !== "contract") continue;
    const slot = assignmentSlot(assignment.subjectType, assignment.subjectId);
    const name = assignmentBucketName(fnv1a(slot) % counts.assignmentBuckets);
    const bucket = buckets.get(name) ?? {};
    bucket[slot] = { priceListId: list.id, currency: list.currency };
    buckets.set(name, bucket);
  }
  return buckets;
}

/** The promotion set of each currency: its own promotions plus every-currency percent ones. */
export function buildPromotionSets(
  promotions: readonly Promotion[],
  currencies: readonly string[],
): Map<string, PromotionSet> {
  const sets = new Map<string, PromotionSet>();
  const sorted = [...promotions].sort((a, b) => cmp(a.id, b.id));
  for (const currency of currencies) {
    const set = sorted
      .filter((promo) => promo.currency === null || promo.currency === currency)
      .map((promo) => ({
        id: promo.id,
        startsAt: promo.startsAt,
        endsAt: promo.endsAt,
        skus: promo.skus,
        companyIds: promo.companyIds,
        fixedUnitPrice: promo.fixedUnitPrice,
        percentOffBasisPoints: promo.percentOffBasisPoints,
      }));
    if (set.length > 0) sets.set(promotionSetName(currency), set);
  }
  return sets;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
