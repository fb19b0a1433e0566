import { env, exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import type { StockUpdateLine } from "../../src/inventory/operations";
import { stockObject } from "../../src/inventory/push/message";
import { TEST_OMS_SIGNING_SECRET } from "./sandbox";
import { SHOP } from "./webhooks";

let counter = 0;

/** A SKU no other test touched: objects and D1 rows live for the whole file. */
export function freshSku(prefix = "SKU"): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The stock object of a SKU, and its key for RPC calls. */
export function stockOf(sku: string, shop = SHOP) {
  return { stub: stockObject(env, shop, sku), key: { shop, sku } };
}

/** A snapshot line with defaults; each case overrides what differs. */
export function snapshot(
  sku: string,
  onHand: number,
  sequence: number,
  overrides: Partial<StockUpdateLine> = {},
): StockUpdateLine {
  return { sku, locationId: "WH1", kind: "snapshot", onHand, sequence, ...overrides };
}

/** A delta line with defaults. */
export function delta(
  sku: string,
  change: number,
  sequence: number,
  overrides: Partial<StockUpdateLine> = {},
): StockUpdateLine {
  return { sku, locationId: "WH1", kind: "delta", delta: change, sequence, ...overrides };
}

/** A call to the hub signed by the OMS with Standard Webhooks headers. */
export async function omsCall(
  path: string,
  body: unknown,
  options: { secret?: string; text?: string; tamperedText?: string } = {},
): Promise<Response> {
  const text = options.text ?? JSON.stringify(body);
  const id = `oms-${crypto.randomUUID()}`;
  const now = new Date();
  return exports.default.fetch(
    new Request(`https://hub.test${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": new Webhook(options.secret ?? TEST_OMS_SIGNING_SECRET).sign(
          id,
          now,
          text,
        ),
      },
      // A tampered body goes out under the signature of the original.
      body: options.tamperedText ?? text,
    }),
  );
}

/** Seeds the Shopify stand-in's locations and items for a shop. */
export async function seedShopifyInventory(seed: {
  shop?: string;
  locations?: { legacyResourceId: string; name: string; code?: string }[];
  items?: { legacyResourceId: string; sku: string; available?: Record<string, number> }[];
}): Promise<void> {
  const response = await fetch("http://sandbox.test/shopify/_control/inventory/seed", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ shop: SHOP, ...seed }),
  });
  if (!response.ok) throw new Error(`seeding stand-in inventory failed: ${response.status}`);
}

/** What the stand-in shows as `available`, by SKU and location name. */
export async function shopifyAvailable(shop = SHOP): Promise<Map<string, number>> {
  const response = await fetch(`http://sandbox.test/shopify/_control/inventory/${shop}`);
  const body = (await response.json()) as {
    levels: { sku: string | null; location: string | null; available: number }[];
  };
  return new Map(body.levels.map((level) => [`${level.sku}@${level.location}`, level.available]));
}

/** The stand-in's recorded calls of one operation. */
export async function shopifyCalls(operationName: string) {
  const response = await fetch("http://sandbox.test/shopify/_control/calls");
  const body = (await response.json()) as {
    calls: { shop: string; operationName: string; variables: Record<string, unknown> }[];
  };
  return body.calls.filter((call) => call.operationName === operationName);
}
