import type { Database } from "../../db/client";
import {
  bookVersion,
  deletePushes,
  entriesOfList,
  findPriceList,
  finishMappingPush,
  forgetVariants,
  listMappings,
  loadPushes,
  type PriceListMapping,
  type PushRow,
  savePushes,
} from "../../db/price-list-sync";
import { RetryableError } from "../../queues/errors";
import { updateQuantityPricing } from "../../shopify/admin/price-lists";
import type { AdminContext } from "../../shopify/admin/run-operation";
import { type Chunk, entryHash, itemOfError, type PushItem, planChunks } from "./plan";
import { variantsOf } from "./variants";

/**
 * Pushes a shop's mapped contract lists to their Shopify PriceLists (docs/pricing.md
 * "Shopify B2B price lists"): only entries whose content changed since the last
 * successful push, removals of entries the list lost, in chunks of at most 250 per input
 * array. Every answered chunk is recorded at once, so a throttled run resumes where it
 * stopped. Shopify's rejections are reported per entry (`error`, `failedHash`) and not
 * retried until the entry changes or `retryFailed` is set (the nightly import sets it).
 */

export interface PushDeps extends AdminContext {
  db: Database;
}

/** Marks a removal Shopify refused, in place of a content hash. */
const REMOVAL_FAILED = "removal";

export interface ListPushSummary {
  priceListId: string;
  status: "pushed" | "skipped";
  reason?: "price_list_missing" | "not_a_contract_list" | "shopify_price_list_not_found";
  pushed: number;
  removed: number;
  failed: number;
  mutations: number;
}

export type ShopPushSummary =
  | { shop: string; status: "pushed"; lists: ListPushSummary[] }
  | {
      shop: string;
      status: "throttled";
      code: string;
      retryAfterSeconds: number | undefined;
      lists: ListPushSummary[];
    };

/**
 * Pushes every mapped list of `shop`. Stops at the first throttle or outage (budget
 * exhausted, THROTTLED, 5xx) and reports `throttled`; what was sent is kept.
 * @throws {PermanentError} for auth failures and GraphQL errors (the cron reports the shop).
 */
export async function pushShopPriceLists(
  deps: PushDeps,
  shop: string,
  options: { retryFailed?: boolean } = {},
): Promise<ShopPushSummary> {
  const lists: ListPushSummary[] = [];
  for (const mapping of await listMappings(deps.db, shop)) {
    try {
      lists.push(await pushList(deps, mapping, options.retryFailed ?? false));
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      deps.logger.warn("price list push paused", {
        priceListId: mapping.priceListId,
        code: error.code,
      });
      return {
        shop,
        status: "throttled",
        code: error.code,
        retryAfterSeconds: error.options.retryAfterSeconds,
        lists,
      };
    }
  }
  return { shop, status: "pushed", lists };
}

async function pushList(
  deps: PushDeps,
  mapping: PriceListMapping,
  retryFailed: boolean,
): Promise<ListPushSummary> {
  const { db } = deps;
  const { shop, priceListId } = mapping;
  // Read first: a change landing during the push leaves the mapping behind, and the next
  // sweep pushes it.
  const version = await bookVersion(db, shop);
  const summary: ListPushSummary = {
    priceListId,
    status: "pushed",
    pushed: 0,
    removed: 0,
    failed: 0,
    mutations: 0,
  };

  const list = await findPriceList(db, shop, priceListId);
  if (list?.kind !== "contract") {
    const skipped: ListPushSummary = {
      ...summary,
      status: "skipped",
      reason: list ? "not_a_contract_list" : "price_list_missing",
    };
    await finishMappingPush(db, shop, priceListId, { version, outcome: skipped });
    return skipped;
  }

  const work = await planList(deps, mapping, list.currency, retryFailed);
  summary.failed += work.unmapped.length;
  await savePushes(db, work.unmapped);
  await deletePushes(db, shop, priceListId, work.forget);

  for (const chunk of planChunks(work.items, list.currency)) {
    const result = await sendChunk(deps, mapping, chunk, list.currency);
    summary.mutations += result.mutations;
    summary.pushed += result.pushed;
    summary.removed += result.removed;
    summary.failed += result.failed;
    if (result.priceListGone) {
      const failed: ListPushSummary = { ...summary, reason: "shopify_price_list_not_found" };
      await finishMappingPush(db, shop, priceListId, { version, outcome: failed });
      deps.logger.error("shopify price list not found", {
        priceListId,
        shopifyPriceListId: mapping.shopifyPriceListId,
      });
      return failed;
    }
  }

  await finishMappingPush(db, shop, priceListId, { version, outcome: summary });
  if (summary.failed > 0) {
    deps.logger.error("price list entries rejected", { priceListId, failed: summary.failed });
  }
  return summary;
}

/** The items to send, the rows of SKUs without a variant, and rows to forget. */
async function planList(
  deps: PushDeps,
  mapping: PriceListMapping,
  currency: string,
  retryFailed: boolean,
) {
  const { db } = deps;
  const { shop, priceListId } = mapping;
  const [entries, pushes] = await Promise.all([
    entriesOfList(db, shop, priceListId),
    loadPushes(db, shop, priceListId),
  ]);

  const changed: { entry: (typeof entries)[number]; hash: string }[] = [];
  for (const entry of entries) {
    const hash = await entryHash(entry, currency);
    const row = pushes.get(entry.sku);
    if (row?.pushedHash === hash) continue;
    if (row?.failedHash === hash && !retryFailed) continue;
    changed.push({ entry, hash });
  }

  const present = new Set(entries.map((entry) => entry.sku));
  const items: PushItem[] = [];
  const forget: string[] = [];
  for (const row of pushes.values()) {
    if (present.has(row.sku)) continue;
    if (row.pushedHash === null || row.variantId === null) forget.push(row.sku);
    else if (row.failedHash !== REMOVAL_FAILED || retryFailed) {
      items.push({ kind: "remove", sku: row.sku, variantId: row.variantId, previous: row });
    }
  }

  const variants = await variantsOf(
    deps,
    db,
    shop,
    changed.map(({ entry }) => entry.sku),
  );
  const unmapped: PushRow[] = [];
  for (const { entry, hash } of changed) {
    const row = pushes.get(entry.sku);
    const variant = variants.get(entry.sku) ?? { error: "variant_not_found" as const };
    if ("error" in variant) {
      unmapped.push(failedRow(shop, priceListId, entry.sku, row, hash, variant.error));
      continue;
    }
    const previous = row?.pushedHash && row.variantId === variant.variantId ? row : null;
    items.push({
      kind: "upsert",
      sku: entry.sku,
      variantId: variant.variantId,
      entry,
      hash,
      previous,
    });
  }
  return { items, unmapped, forget };
}

function failedRow(
  shop: string,
  priceListId: string,
  sku: string,
  row: PushRow | undefined,
  failedHash: string,
  error: string,
): PushRow {
  return {
    shop,
    priceListId,
    sku,
    variantId: row?.variantId ?? null,
    pushedHash: row?.pushedHash ?? null,
    hasBreaks: row?.hasBreaks ?? false,
    hasRule: row?.hasRule ?? false,
    failedHash,
    error: error.slice(0, 500),
    updatedAt: Date.now(),
  };
}

interface ChunkResult {
  mutations: number;
  pushed: number;
  removed: number;
  failed: number;
  priceListGone: boolean;
}

/**
 * Sends one chunk. Shopify applies all or nothing, so on user errors the entries they
 * name are marked failed and the rest is sent once more without them; errors that name
 * no entry fail the whole chunk.
 */
async function sendChunk(
  deps: PushDeps,
  mapping: PriceListMapping,
  chunk: Chunk,
  currency: string,
): Promise<ChunkResult> {
  const result: ChunkResult = {
    mutations: 0,
    pushed: 0,
    removed: 0,
    failed: 0,
    priceListGone: false,
  };
  let current: Chunk | undefined = chunk;
  for (let attempt = 0; current && attempt < 2; attempt += 1) {
    const errors = await updateQuantityPricing(
      deps,
      mapping.shop,
      mapping.shopifyPriceListId,
      current.input,
    );
    result.mutations += 1;
    if (errors.length === 0) {
      await recordApplied(deps.db, mapping, current.items);
      result.pushed += current.items.filter((item) => item.kind === "upsert").length;
      result.removed += current.items.filter((item) => item.kind === "remove").length;
      return result;
    }
    if (errors.some((error) => error.code === "PRICE_LIST_NOT_FOUND")) {
      return { ...result, priceListGone: true };
    }

    const offenders = new Map<PushItem, string>();
    for (const error of errors) {
      const item = itemOfError(current, error.field);
      if (item) offenders.set(item, `${error.code ?? "error"}: ${error.message}`);
    }
    const named = offenders.size > 0 && attempt === 0;
    const failing = named
      ? offenders
      : new Map(current.items.map((item) => [item, describe(errors)]));
    await recordFailed(deps.db, mapping, failing);
    result.failed += failing.size;

    const remaining: PushItem[] = current.items.filter((item) => !failing.has(item));
    current = remaining.length > 0 ? planChunks(remaining, currency)[0] : undefined;
  }
  return result;
}

function describe(errors: { code?: string | null; message: string }[]): string {
  return errors.map((error) => `${error.code ?? "error"}: ${error.message}`).join("; ");
}

async function recordApplied(db: Database, mapping: PriceListMapping, items: readonly PushItem[]) {
  const now = Date.now();
  const rows: PushRow[] = items.flatMap((item) =>
    item.kind === "upsert"
      ? [
          {
            shop: mapping.shop,
            priceListId: mapping.priceListId,
            sku: item.sku,
            variantId: item.variantId,
            pushedHash: item.hash,
            hasBreaks: item.entry.tiers.length > 1,
            hasRule: item.entry.quantityRule !== null,
            failedHash: null,
            error: null,
            updatedAt: now,
          },
        ]
      : [],
  );
  await savePushes(db, rows);
  const removed = items.filter((item) => item.kind === "remove").map((item) => item.sku);
  await deletePushes(db, mapping.shop, mapping.priceListId, removed);
}

async function recordFailed(
  db: Database,
  mapping: PriceListMapping,
  failing: ReadonlyMap<PushItem, string>,
) {
  const rows: PushRow[] = [];
  const gone: string[] = [];
  for (const [item, error] of failing) {
    if (/VARIANT_NOT_FOUND/.test(error)) gone.push(item.sku);
    const previous = item.previous;
    rows.push({
      shop: mapping.shop,
      priceListId: mapping.priceListId,
      sku: item.sku,
      variantId: item.variantId,
      // What Shopify still holds: the failed mutation changed nothing.
      pushedHash: previous?.pushedHash ?? null,
      hasBreaks: previous?.hasBreaks ?? false,
      hasRule: previous?.hasRule ?? false,
      failedHash: item.kind === "upsert" ? item.hash : REMOVAL_FAILED,
      error: error.slice(0, 500),
      updatedAt: Date.now(),
    });
  }
  await savePushes(db, rows);
  // The cached variant is stale: look the SKU up again next time.
  await forgetVariants(db, mapping.shop, gone);
}
