import type { Database } from "../db/client";
import {
  assignmentsInBucket,
  entriesInBucket,
  loadPriceBook,
  loadPriceLists,
  promotionsFor,
} from "../db/price-books";
import {
  acquirePublishLease,
  finishPublish,
  forgetKvKeys,
  type PriceBookHead,
  recordKvKeys,
  releasePublishLease,
  supersededKvKeys,
} from "../db/price-heads";
import type { Logger } from "../observability/logger";
import { RetryableError } from "../queues/errors";
import {
  type BucketCounts,
  buildAssignmentBuckets,
  buildEntryBuckets,
  buildPromotionSets,
  planBuckets,
} from "./build";
import type { BookChange } from "./diff";
import {
  assignmentBucketName,
  assignmentSlot,
  entryBucketName,
  fnv1a,
  type Pointer,
  PointerSchema,
  pointerKey,
  promotionSetName,
} from "./layout";
import { forgetPointer } from "./load";

/**
 * Publishes a shop's price book from D1 to KV (docs/pricing.md "Publishing"): new values
 * under new keys first, the pointer last, so readers switch versions in one read.
 */

// KV allows 1,000 operations per invocation: a full publish writes ≤ 400 keys and deletes
// ≤ 400 of a superseded generation, leaving room for the pointer.
const MAX_KEYS_PER_PUBLISH = 400;
const MAX_DELETES_PER_PUBLISH = 400;
// Past this many rewritten buckets the pointer grows; a full publish starts a clean generation.
const MAX_OVERLAY = 64;
// KV accepts one write per second to a key: the pointer is the one key written repeatedly.
const POINTER_WRITE_INTERVAL_MS = 1000;
// Long enough for a full publish; an abandoned lease expires by itself.
const LEASE_MS = 60_000;
const PUT_CONCURRENCY = 16;

export interface PublishDeps {
  db: Database;
  kv: KVNamespace;
  logger: Logger;
}

export type PublishOutcome =
  | { status: "published"; mode: "full" | "incremental"; version: number; keysWritten: number }
  | { status: "up_to_date"; version: number }
  | { status: "busy" };

/**
 * Publishes what D1 holds for `shop`. With `incremental` (the change set that made the
 * newest version, nothing else pending) only the buckets it touches are rewritten;
 * otherwise, or when that is not possible, the whole book is written as a new generation.
 * Waits up to `waitMs` for another publisher's lease; `busy` when it is still held (the
 * five-minute sweep publishes later).
 * @throws {RetryableError} `kv_write_failed` when KV refuses a write; the pointer is then
 *   untouched and readers keep the previous version.
 */
export async function publishPriceBook(
  deps: PublishDeps,
  shop: string,
  options: {
    /** The change set that made `version`; used only if it is the one unpublished version. */
    incremental?: { version: number; changes: readonly BookChange[] };
    full?: boolean;
    waitMs?: number;
  } = {},
): Promise<PublishOutcome> {
  const owner = crypto.randomUUID();
  const head = await waitForLease(deps.db, shop, owner, options.waitMs ?? 0);
  if (!head) return { status: "busy" };

  try {
    if (head.version === head.publishedVersion && !options.full) {
      await releasePublishLease(deps.db, shop, owner);
      return { status: "up_to_date", version: head.version };
    }
    const previous = parsePointer(head.pointer);
    const only = options.incremental;
    const incremental =
      !options.full &&
      only &&
      previous &&
      head.version === only.version &&
      head.publishedVersion === only.version - 1
        ? await incrementalValues(deps.db, shop, previous, only.changes)
        : undefined;

    const outcome =
      incremental && previous
        ? await writeIncremental(deps, shop, owner, head, previous, incremental)
        : await writeFull(deps, shop, owner, head);
    deps.logger.info("price book published", {
      shop,
      mode: outcome.mode,
      version: outcome.version,
      keysWritten: outcome.keysWritten,
    });
    return outcome;
  } catch (error) {
    await releasePublishLease(deps.db, shop, owner);
    throw error;
  }
}

async function waitForLease(db: Database, shop: string, owner: string, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const head = await acquirePublishLease(db, shop, owner, LEASE_MS);
    if (head || Date.now() >= deadline) return head;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function parsePointer(text: string | null): Pointer | undefined {
  if (text === null) return undefined;
  const parsed = PointerSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

async function writeFull(
  deps: PublishDeps,
  shop: string,
  owner: string,
  head: PriceBookHead,
): Promise<Extract<PublishOutcome, { status: "published" }>> {
  const book = await loadPriceBook(deps.db, shop);
  const lists = new Map(book.priceLists.map((list) => [list.id, list]));
  const counts = planBuckets(book.entries, lists, book.assignments.length, MAX_KEYS_PER_PUBLISH);
  const generation = head.generation + 1;

  const values = new Map<string, unknown>([
    ...buildEntryBuckets(book.entries, lists, counts),
    ...buildAssignmentBuckets(book.assignments, lists, counts),
    ...buildPromotionSets(book.promotions, Object.keys(counts.entryBuckets)),
  ]);
  const keyed = new Map(
    [...values].map(([name, value]) => [`${shop}:g${generation}:${name}`, value]),
  );
  await putAll(deps, shop, generation, keyed);

  const pointer: Pointer = {
    version: head.version,
    generation,
    publishedAt: Date.now(),
    ...counts,
    overlay: {},
  };
  await flipPointer(deps, shop, owner, head, pointer);
  await collectGarbage(deps, shop, generation);
  return { status: "published", mode: "full", version: head.version, keysWritten: keyed.size + 1 };
}

async function writeIncremental(
  deps: PublishDeps,
  shop: string,
  owner: string,
  head: PriceBookHead,
  previous: Pointer,
  values: Map<string, unknown>,
): Promise<Extract<PublishOutcome, { status: "published" }>> {
  const keyed = new Map(
    [...values].map(([name, value]) => [
      `${shop}:g${previous.generation}:${name}:v${head.version}`,
      value,
    ]),
  );
  await putAll(deps, shop, previous.generation, keyed);

  const overlay = { ...previous.overlay };
  for (const name of values.keys()) overlay[name] = head.version;
  const pointer: Pointer = { ...previous, version: head.version, publishedAt: Date.now(), overlay };
  await flipPointer(deps, shop, owner, head, pointer);
  return {
    status: "published",
    mode: "incremental",
    version: head.version,
    keysWritten: keyed.size + 1,
  };
}

/**
 * The rebuilt value of every bucket `changes` touch, or `undefined` when only a full
 * publish can express them (a new currency, a list changing kind or currency, an overlay
 * grown past {@link MAX_OVERLAY}). A bucket left empty is written as `{}`/`[]`, not
 * omitted, so the overlay hides the generation's older value.
 */
async function incrementalValues(
  db: Database,
  shop: string,
  pointer: Pointer,
  changes: readonly BookChange[],
): Promise<Map<string, unknown> | undefined> {
  const lists = await loadPriceLists(db, shop);
  const dirty = dirtyBuckets(pointer, changes, lists);
  if (!dirty) return undefined;
  const overlaySize = new Set([...Object.keys(pointer.overlay), ...dirty.entries.keys()]).size;
  if (overlaySize + dirty.assignments.size + dirty.promotions.size > MAX_OVERLAY) return undefined;

  const counts: BucketCounts = pointer;
  const values = new Map<string, unknown>();
  for (const [name, { currency, bucket }] of dirty.entries) {
    const rows = await entriesInBucket(
      db,
      shop,
      currency,
      counts.entryBuckets[currency] ?? 1,
      bucket,
    );
    values.set(name, buildEntryBuckets(rows, lists, counts).get(name) ?? {});
  }
  for (const [name, bucket] of dirty.assignments) {
    const rows = await assignmentsInBucket(db, shop, counts.assignmentBuckets, bucket);
    values.set(name, buildAssignmentBuckets(rows, lists, counts).get(name) ?? {});
  }
  for (const currency of dirty.promotions) {
    const name = promotionSetName(currency);
    const rows = await promotionsFor(db, shop, currency);
    values.set(name, buildPromotionSets(rows, [currency]).get(name) ?? []);
  }
  return values;
}

function dirtyBuckets(
  pointer: Pointer,
  changes: readonly BookChange[],
  lists: ReadonlyMap<string, { currency: string }>,
) {
  const entries = new Map<string, { currency: string; bucket: number }>();
  const assignments = new Map<string, number>();
  const promotions = new Set<string>();
  const currencies = Object.keys(pointer.entryBuckets);

  for (const change of changes) {
    switch (change.kind) {
      case "priceList": {
        const { before, after } = change;
        if (before && after && (before.kind !== after.kind || before.currency !== after.currency)) {
          return undefined;
        }
        break;
      }
      case "entry": {
        const row = change.after ?? change.before;
        // A list deleted in the same change set is gone from D1: only a full publish knows.
        const currency = row ? lists.get(row.priceListId)?.currency : undefined;
        const count = currency ? pointer.entryBuckets[currency] : undefined;
        if (!row || !currency || count === undefined) return undefined;
        const bucket = fnv1a(row.sku) % count;
        entries.set(entryBucketName(currency, bucket), { currency, bucket });
        break;
      }
      case "assignment": {
        const row = change.after ?? change.before;
        if (!row) break;
        const bucket =
          fnv1a(assignmentSlot(row.subjectType, row.subjectId)) % pointer.assignmentBuckets;
        assignments.set(assignmentBucketName(bucket), bucket);
        break;
      }
      case "promotion": {
        for (const promo of [change.before, change.after]) {
          if (!promo) continue;
          for (const currency of promo.currency === null ? currencies : [promo.currency]) {
            if (currencies.includes(currency)) promotions.add(currency);
          }
        }
        break;
      }
    }
  }
  return { entries, assignments, promotions };
}

async function putAll(
  deps: PublishDeps,
  shop: string,
  generation: number,
  values: ReadonlyMap<string, unknown>,
): Promise<void> {
  await recordKvKeys(deps.db, shop, generation, [...values.keys()]);
  const entries = [...values];
  for (let start = 0; start < entries.length; start += PUT_CONCURRENCY) {
    await Promise.all(
      entries
        .slice(start, start + PUT_CONCURRENCY)
        .map(([key, value]) => put(deps.kv, key, JSON.stringify(value))),
    );
  }
}

async function put(kv: KVNamespace, key: string, value: string): Promise<void> {
  try {
    await kv.put(key, value);
  } catch (cause) {
    throw new RetryableError("kv_write_failed", `KV refused the write of ${key}`, { cause });
  }
}

async function flipPointer(
  deps: PublishDeps,
  shop: string,
  owner: string,
  head: PriceBookHead,
  pointer: Pointer,
): Promise<void> {
  const wait = head.lastPointerWriteAt + POINTER_WRITE_INTERVAL_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  const text = JSON.stringify(pointer);
  await put(deps.kv, pointerKey(shop), text);
  forgetPointer(shop);
  await finishPublish(deps.db, shop, owner, {
    version: pointer.version,
    generation: pointer.generation,
    pointer: text,
    pointerWrittenAt: Date.now(),
  });
}

/**
 * Deletes keys of generations before the previous one. The previous generation stays:
 * readers elsewhere may hold the old pointer for a minute or more (KV is eventually
 * consistent), and must still find its keys.
 */
async function collectGarbage(deps: PublishDeps, shop: string, generation: number) {
  const keys = await supersededKvKeys(deps.db, shop, generation - 1, MAX_DELETES_PER_PUBLISH);
  if (keys.length === 0) return;
  await Promise.all(keys.map((key) => deps.kv.delete(key)));
  await forgetKvKeys(deps.db, shop, keys);
}
