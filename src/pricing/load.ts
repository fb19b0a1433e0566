import { RetryableError } from "../queues/errors";
import { IsolateCache } from "./isolate-cache";
import {
  type AssignmentBucket,
  AssignmentBucketSchema,
  assignmentBucketName,
  assignmentSlot,
  type EntryBucket,
  EntryBucketSchema,
  entryBucketName,
  fnv1a,
  type Pointer,
  PointerSchema,
  type PromotionSet,
  PromotionSetSchema,
  physicalKey,
  pointerKey,
  promotionSetName,
  type SkuPrices,
} from "./layout";
import { type BookView, chooseContractList } from "./resolve";

/** Keys per bulk read: KV's `get([...keys])` takes at most 100. */
export const KV_BULK_READ_MAX = 100;
// Published buckets kept parsed per isolate; a bucket holds ~32 SKUs, so ~64k SKUs.
const CACHE_CAPACITY = 2000;
// Immutable keys may be cached at the edge as long as KV allows; the pointer never is.
const IMMUTABLE_CACHE_TTL_SECONDS = 3600;

type Kind = "entries" | "assignments" | "promotions";
/** A published value as parsed once, or the fact that its key holds nothing. */
type Cached =
  | { kind: "entries"; value: EntryBucket }
  | { kind: "assignments"; value: AssignmentBucket }
  | { kind: "promotions"; value: PromotionSet }
  | { kind: "absent" };

// Keyed by the immutable KV key, which names one generation (and overlay version).
const cache = new IsolateCache<Cached>(CACHE_CAPACITY);

/**
 * How long this isolate trusts a pointer it read. Reading it is most of a warm resolve's
 * cost; a second of extra staleness is small beside KV's own (up to 60 s between
 * locations), and a publish in this isolate forgets it at once.
 */
const POINTER_TRUST_MS = 1000;
const pointers = new Map<string, { pointer: Pointer | undefined; readAt: number }>();

/** Forgets every cached bucket and pointer of this isolate (tests measuring cold reads use it). */
export function clearPriceCache(): void {
  cache.clear();
  pointers.clear();
}

/** Forgets one shop's pointer, so this isolate's next resolve reads the new version. */
export function forgetPointer(shop: string): void {
  pointers.delete(shop);
}

async function trustedPointer(kv: KVNamespace, shop: string): Promise<Pointer | undefined> {
  const now = Date.now();
  const known = pointers.get(shop);
  if (known && now - known.readAt < POINTER_TRUST_MS) return known.pointer;
  const pointer = await readPointer(kv, shop);
  pointers.set(shop, { pointer, readAt: now });
  return pointer;
}

export interface BuyerKeys {
  companyId: string | null;
  companyLocationId: string | null;
}

/**
 * Reads what resolving `skus` in `currency` for `buyer` needs from the published book of
 * `shop`: one read of the pointer, then one bulk read per 100 keys not already cached in
 * this isolate. Every key comes from that one pointer, so the view is of one version.
 * @throws {RetryableError} `price_book_unreadable` when a KV value does not parse.
 */
export async function loadBookView(
  kv: KVNamespace,
  shop: string,
  currency: string,
  buyer: BuyerKeys,
  skus: readonly string[],
): Promise<BookView> {
  const pointer = await trustedPointer(kv, shop);
  if (!pointer) {
    return { version: 0, currency, contractListId: null, prices: new Map(), promotions: [] };
  }

  const wanted = new Map<string, Kind>();
  const skuKeys = new Map<string, string>();
  const entryBuckets = pointer.entryBuckets[currency];
  if (entryBuckets !== undefined) {
    for (const sku of skus) {
      const key = physicalKey(shop, pointer, entryBucketName(currency, fnv1a(sku) % entryBuckets));
      skuKeys.set(sku, key);
      wanted.set(key, "entries");
    }
  }
  const slots = assignmentSlots(buyer);
  const slotKey = (slot: string) =>
    physicalKey(shop, pointer, assignmentBucketName(fnv1a(slot) % pointer.assignmentBuckets));
  for (const slot of Object.values(slots)) if (slot) wanted.set(slotKey(slot), "assignments");
  const promoKey = physicalKey(shop, pointer, promotionSetName(currency));
  wanted.set(promoKey, "promotions");

  const values = await readMany(kv, wanted);

  const prices = new Map<string, SkuPrices>();
  for (const [sku, key] of skuKeys) {
    const bucket = values.get(key);
    const entry = bucket?.kind === "entries" ? bucket.value[sku] : undefined;
    if (entry) prices.set(sku, entry);
  }
  const assigned = (slot: string | undefined) => {
    const bucket = slot === undefined ? undefined : values.get(slotKey(slot));
    return slot !== undefined && bucket?.kind === "assignments" ? bucket.value[slot] : undefined;
  };
  const promotions = values.get(promoKey);

  return {
    version: pointer.version,
    currency,
    contractListId: chooseContractList(assigned(slots.location), assigned(slots.company), currency),
    prices,
    promotions: promotions?.kind === "promotions" ? promotions.value : [],
  };
}

/** The shop's current pointer, or `undefined` when nothing was published yet. */
export async function readPointer(kv: KVNamespace, shop: string): Promise<Pointer | undefined> {
  const raw = await kv.get(pointerKey(shop), "json");
  if (raw === null) return undefined;
  const pointer = PointerSchema.safeParse(raw);
  if (!pointer.success) {
    throw new RetryableError("price_book_unreadable", `The price pointer of ${shop} is invalid`);
  }
  return pointer.data;
}

function assignmentSlots(buyer: BuyerKeys): { location?: string; company?: string } {
  return {
    ...(buyer.companyLocationId
      ? { location: assignmentSlot("location", buyer.companyLocationId) }
      : {}),
    ...(buyer.companyId ? { company: assignmentSlot("company", buyer.companyId) } : {}),
  };
}

/**
 * The `wanted` keys, parsed by kind: from the isolate cache, the rest in bulk reads of
 * ≤ 100 keys. Parsed values and misses are cached, so a warm resolve parses nothing.
 */
async function readMany(
  kv: KVNamespace,
  wanted: ReadonlyMap<string, Kind>,
): Promise<Map<string, Cached>> {
  const values = new Map<string, Cached>();
  const missing: string[] = [];
  for (const key of wanted.keys()) {
    const hit = cache.get(key);
    if (hit === undefined) missing.push(key);
    else values.set(key, hit);
  }

  const chunks: string[][] = [];
  for (let start = 0; start < missing.length; start += KV_BULK_READ_MAX) {
    chunks.push(missing.slice(start, start + KV_BULK_READ_MAX));
  }
  const results = await Promise.all(
    chunks.map((chunk) => kv.get(chunk, { type: "json", cacheTtl: IMMUTABLE_CACHE_TTL_SECONDS })),
  );
  for (const result of results) {
    for (const [key, raw] of result) {
      const kind = wanted.get(key);
      const value: Cached =
        raw === null || kind === undefined ? { kind: "absent" } : parseValue(key, kind, raw);
      cache.set(key, value);
      values.set(key, value);
    }
  }
  return values;
}

function parseValue(key: string, kind: Kind, raw: unknown): Cached {
  const unreadable = () =>
    new RetryableError("price_book_unreadable", `The published value ${key} is invalid`);
  switch (kind) {
    case "entries": {
      const parsed = EntryBucketSchema.safeParse(raw);
      if (!parsed.success) throw unreadable();
      return { kind, value: parsed.data };
    }
    case "assignments": {
      const parsed = AssignmentBucketSchema.safeParse(raw);
      if (!parsed.success) throw unreadable();
      return { kind, value: parsed.data };
    }
    case "promotions": {
      const parsed = PromotionSetSchema.safeParse(raw);
      if (!parsed.success) throw unreadable();
      return { kind, value: parsed.data };
    }
  }
}
