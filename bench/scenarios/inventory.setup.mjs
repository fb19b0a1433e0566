import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { BENCH_OMS_SIGNING_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";

/** The one warehouse of the bench shop, as the OMS names it and as Shopify lists it. */
export const BENCH_LOCATION = {
  code: "BENCH-WH",
  legacyResourceId: "8100",
  name: "Bench warehouse",
};
/** The SKU every order of the hot-SKU phases asks for. */
export const HOT_SKU = "BENCH-HOT-1";
const HOT_LEGACY_ID = "7000000";
const FIRST_ITEM_LEGACY_ID = 7_000_001;
// Far beyond any sane answer; a hung hub shows up as a failed call, not a hung bench.
const CALL_TIMEOUT_MS = 30_000;

/** The SKUs of the propagation phase and their Shopify inventory item legacy ids. */
export function propagationSkus(count) {
  return Array.from({ length: count }, (_, index) => ({
    sku: `BENCH-SKU-${String(index + 1).padStart(5, "0")}`,
    legacyId: String(FIRST_ITEM_LEGACY_ID + index),
  }));
}

/**
 * Gives the Shopify stand-in the bench location and every item (the hot SKU included) at
 * 0 available, and the hub the same mapping in D1, as the nightly refresh would leave it:
 * the phases then measure pushes, not first-time SKU lookups.
 */
export async function seedInventory({ sandbox, db, skus }) {
  const items = [{ sku: HOT_SKU, legacyId: HOT_LEGACY_ID }, ...skus];
  await sandbox.control("/shopify/_control/inventory/seed", {
    method: "POST",
    body: {
      shop: BENCH_SHOP,
      locations: [
        {
          legacyResourceId: BENCH_LOCATION.legacyResourceId,
          name: BENCH_LOCATION.name,
          code: BENCH_LOCATION.code,
        },
      ],
      items: items.map(({ sku, legacyId }) => ({
        legacyResourceId: legacyId,
        sku,
        available: { [BENCH_LOCATION.legacyResourceId]: 0 },
      })),
    },
  });

  const now = Date.now();
  const statements = [
    db
      .prepare(
        `INSERT INTO inventory_location_map (shop, location_code, shopify_location_id, refreshed_at)
         VALUES (?, ?, ?, ?)`,
      )
      .bind(BENCH_SHOP, BENCH_LOCATION.code, locationGid(), now),
    ...items.map(({ sku, legacyId }) =>
      db
        .prepare(
          `INSERT INTO inventory_item_map (shop, sku, inventory_item_id, refreshed_at)
           VALUES (?, ?, ?, ?)`,
        )
        .bind(BENCH_SHOP, sku, itemGid(legacyId), now),
    ),
  ];
  await db.batch(statements);
}

export function itemGid(legacyId) {
  return `gid://shopify/InventoryItem/${legacyId}`;
}

function locationGid() {
  return `gid://shopify/Location/${BENCH_LOCATION.legacyResourceId}`;
}

/**
 * POSTs a JSON body to the hub signed as the OMS signs (Standard Webhooks headers with
 * the bench's OMS secret). Resolves with the status, the parsed body and when it went out
 * and came back; never throws for an HTTP failure.
 */
export async function omsCall(hubUrl, path, body) {
  const text = JSON.stringify(body);
  const id = `bench-${randomUUID()}`;
  const now = new Date();
  const signature = new Webhook(BENCH_OMS_SIGNING_SECRET).sign(id, now, text);
  const postedAt = Date.now();
  try {
    const response = await fetch(new URL(path, hubUrl), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: text,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const answer = await response.json().catch(() => undefined);
    return { status: response.status, body: answer, postedAt, answeredAt: Date.now() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 0, error: reason, postedAt, answeredAt: Date.now() };
  }
}

/** The hub's view of one SKU (`GET /v1/inventory/:sku`), with the bench admin token. */
export async function readStock(hubUrl, sku, adminToken) {
  const url = new URL(`/v1/inventory/${encodeURIComponent(sku)}`, hubUrl);
  url.searchParams.set("shop", BENCH_SHOP);
  const response = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
  if (!response.ok) throw new Error(`reading ${sku} answered ${response.status}`);
  return response.json();
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
