import { raiseAlert, resolveAlerts } from "../../alerts/raise";
import { sha256Hex } from "../../crypto/digest";
import type { Database } from "../../db/client";
import { RetryableError } from "../../queues/errors";
import {
  type AvailableQuantity,
  ITEMS_PER_AVAILABILITY_READ,
  levelKey,
  MAX_QUANTITIES_PER_MUTATION,
  readAvailable,
  setAvailableQuantities,
} from "../../shopify/admin/inventory";
import type { AdminContext } from "../../shopify/admin/run-operation";
import { STOCK_FAN_OUT, settleConcurrently } from "../fan-out";
import { resolveMapping } from "../mapping";
import { stockObject } from "./message";

/** Tries per mutation: the first, then two re-reads after a stale compare-and-set. */
const MAX_SET_ATTEMPTS = 3;

/** A quantity on its way to Shopify, with the hub identifiers to confirm it back. */
interface Pending extends AvailableQuantity {
  sku: string;
  locationCode: string;
}

export interface ShopPushSummary {
  skus: number;
  quantities: number;
  mutations: number;
  staleRecoveries: number;
  unmapped: number;
}

/**
 * Brings Shopify's `available` up to date for some of a shop's SKUs: reads each object's
 * push plan, maps SKUs and locations, sends ≤ 250 quantities per `inventorySetQuantities`
 * and records what Shopify confirmed back in each object. Unmapped SKUs and locations
 * raise a ticket and are left out; the rest still go.
 *
 * `keySalt` goes into every idempotency key and must be new for every push: Shopify
 * answers a repeated key with the earlier result without applying it, so a content-only
 * key would silently skip a value that recurs (10 → 7 → 10 → 7). A retried push with a
 * new key is still safe: its `changeFromQuantity` makes Shopify refuse a repeat as stale.
 * @throws {RetryableError} when an object or Shopify is unavailable, or a compare-and-set
 *   stays stale; the whole shop's messages are retried (every step is idempotent).
 */
export async function pushShop(
  ctx: AdminContext & { db: Database },
  shop: string,
  skus: string[],
  keySalt: string = crypto.randomUUID(),
): Promise<ShopPushSummary> {
  const pending = await collectPending(ctx, shop, skus);
  const summary = { skus: skus.length, quantities: 0, mutations: 0, staleRecoveries: 0 };
  if (pending.length === 0) return { ...summary, unmapped: 0 };

  const { mapped, unmapped } = await mapPending(ctx, shop, pending);
  for (let start = 0; start < mapped.length; start += MAX_QUANTITIES_PER_MUTATION) {
    const chunk = mapped.slice(start, start + MAX_QUANTITIES_PER_MUTATION);
    const { sent, recoveries } = await setWithRecovery(ctx, shop, chunk, keySalt);
    await confirmBack(ctx.env, shop, sent);
    summary.mutations += 1 + recoveries;
    summary.staleRecoveries += recoveries;
    summary.quantities += sent.length;
  }
  return { ...summary, unmapped };
}

async function collectPending(ctx: AdminContext, shop: string, skus: string[]) {
  const plans = await settleConcurrently(skus, STOCK_FAN_OUT, (sku) =>
    stockObject(ctx.env, shop, sku).pushPlan(),
  );
  return plans.flatMap((plan, index) => {
    if (plan.status === "rejected") {
      throw new RetryableError("stock_unavailable", `stock object for ${skus[index]} failed`, {
        cause: plan.reason,
      });
    }
    const value = plan.value;
    if (!value) return [];
    return value.quantities.map((quantity) => ({
      sku: value.sku,
      locationCode: quantity.locationId,
      quantity: quantity.available,
      changeFromQuantity: quantity.lastConfirmed,
    }));
  });
}

async function mapPending(
  ctx: AdminContext & { db: Database },
  shop: string,
  pending: Omit<Pending, "inventoryItemId" | "locationId">[],
): Promise<{ mapped: Pending[]; unmapped: number }> {
  const skus = [...new Set(pending.map((entry) => entry.sku))];
  const codes = [...new Set(pending.map((entry) => entry.locationCode))];
  const mapping = await resolveMapping(ctx, ctx.db, shop, skus, codes);

  const problems = [
    ...mapping.unknownSkus.map((sku) => ["unmapped_sku", "sku", sku, "not_in_shopify"] as const),
    ...mapping.ambiguousSkus.map((sku) => ["unmapped_sku", "sku", sku, "ambiguous"] as const),
    ...mapping.unknownLocations.map(
      (code) => ["unmapped_location", "location", code, "not_in_shopify"] as const,
    ),
  ];
  for (const [kind, field, value, why] of problems) {
    await raiseAlert(ctx.env, {
      kind,
      severity: "ticket",
      key: `${kind}:${shop}:${value}`,
      shop,
      detail: { [field]: value, reason: why },
    });
  }

  // What maps now clears the tickets an earlier push raised for it.
  await resolveAlerts(ctx.env, [
    ...[...mapping.items.keys()].map((sku) => `unmapped_sku:${shop}:${sku}`),
    ...[...mapping.locations.keys()].map((code) => `unmapped_location:${shop}:${code}`),
  ]);

  const mapped: Pending[] = [];
  for (const entry of pending) {
    const inventoryItemId = mapping.items.get(entry.sku);
    const locationId = mapping.locations.get(entry.locationCode);
    if (inventoryItemId && locationId) mapped.push({ ...entry, inventoryItemId, locationId });
  }
  return { mapped, unmapped: pending.length - mapped.length };
}

/**
 * Sends one chunk; when Shopify finds some `changeFromQuantity` stale, reads what it shows
 * now and sends again. A value that fell in Shopify (an order the hub has not seen yet)
 * caps what is pushed, so a recovery never offers units Shopify already sold.
 */
async function setWithRecovery(ctx: AdminContext, shop: string, chunk: Pending[], salt: string) {
  let current = chunk;
  for (let attempt = 1; attempt <= MAX_SET_ATTEMPTS; attempt += 1) {
    const key = await idempotencyKey(shop, current, attempt > 1 ? crypto.randomUUID() : salt);
    const result = await setAvailableQuantities(ctx, shop, current.map(toInput), key);
    if (result.ok) return { sent: current, recoveries: attempt - 1 };

    ctx.logger.info("inventory compare-and-set stale; re-reading Shopify", {
      shop,
      stale: result.stale.length,
      attempt,
    });
    current = await recover(ctx, shop, current, new Set(result.stale));
  }
  throw new RetryableError(
    "inventory_push_stale",
    `inventorySetQuantities for ${shop} stayed stale after ${MAX_SET_ATTEMPTS} tries`,
  );
}

async function recover(ctx: AdminContext, shop: string, chunk: Pending[], stale: Set<number>) {
  const ids = [...new Set(chunk.filter((_q, i) => stale.has(i)).map((q) => q.inventoryItemId))];
  const shown = new Map<string, number>();
  for (let start = 0; start < ids.length; start += ITEMS_PER_AVAILABILITY_READ) {
    const read = await readAvailable(
      ctx,
      shop,
      ids.slice(start, start + ITEMS_PER_AVAILABILITY_READ),
    );
    for (const [key, value] of read) shown.set(key, value);
  }

  return chunk.map((entry, index) => {
    if (!stale.has(index)) return entry;
    const now = shown.get(levelKey(entry.inventoryItemId, entry.locationId));
    if (now === undefined) return { ...entry, changeFromQuantity: null };
    const fell = entry.changeFromQuantity !== null && now < entry.changeFromQuantity;
    return {
      ...entry,
      quantity: fell ? Math.min(entry.quantity, now) : entry.quantity,
      changeFromQuantity: now,
    };
  });
}

async function confirmBack(env: Cloudflare.Env, shop: string, sent: Pending[]): Promise<void> {
  const bySku = new Map<string, { locationId: string; quantity: number }[]>();
  for (const entry of sent) {
    const list = bySku.get(entry.sku) ?? [];
    list.push({ locationId: entry.locationCode, quantity: entry.quantity });
    bySku.set(entry.sku, list);
  }
  const results = await settleConcurrently([...bySku], STOCK_FAN_OUT, ([sku, confirmed]) =>
    stockObject(env, shop, sku).confirmPushed(confirmed),
  );
  const failed = results.find((result) => result.status === "rejected");
  if (failed?.status === "rejected") {
    // Shopify has the values; a retry finds its compare-and-set stale and recovers.
    throw new RetryableError("stock_unavailable", "could not record pushed quantities", {
      cause: failed.reason,
    });
  }
}

function toInput(entry: Pending): AvailableQuantity {
  return {
    inventoryItemId: entry.inventoryItemId,
    locationId: entry.locationId,
    quantity: entry.quantity,
    changeFromQuantity: entry.changeFromQuantity,
  };
}

/** The push's salt (or a recovery's nonce) and its content, hashed. */
async function idempotencyKey(shop: string, quantities: Pending[], nonce: string) {
  const canonical = JSON.stringify([shop, nonce, quantities.map(toInput)]);
  return sha256Hex(canonical);
}
