import { exports } from "cloudflare:workers";
import { signWebhookBody } from "../../src/shopify/webhook-hmac";

export const SHOP = "test-shop.myshopify.com";
export const SECRET = "test-secret-current";
export const PREVIOUS_SECRET = "test-secret-previous";

export interface DeliveryOptions {
  topic?: string;
  shop?: string;
  webhookId?: string;
  eventId?: string;
  body?: string;
  secret?: string;
  /** Overrides or, with `undefined`, removes headers. */
  headers?: Record<string, string | undefined>;
}

let counter = 0;

/** A Shopify webhook delivery with valid defaults; each case overrides only what differs. */
export async function buildDelivery(
  payload: unknown,
  options: DeliveryOptions = {},
): Promise<Request> {
  counter += 1;
  const body = options.body ?? JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-shopify-topic": options.topic ?? "customers/redact",
    "x-shopify-shop-domain": options.shop ?? SHOP,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": options.webhookId ?? `wh-${Date.now()}-${counter}`,
    "x-shopify-event-id": options.eventId ?? `ev-${counter}`,
    "x-shopify-triggered-at": "2026-12-01T10:00:00.000Z",
    "x-shopify-hmac-sha256": await signWebhookBody(body, options.secret ?? SECRET),
    ...options.headers,
  };
  const defined = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return new Request("https://hub.test/webhooks/shopify", {
    method: "POST",
    headers: defined,
    body,
  });
}

export async function deliver(payload: unknown, options: DeliveryOptions = {}): Promise<Response> {
  return exports.default.fetch(await buildDelivery(payload, options));
}

/** Polls `check` until it returns a value (queue consumers run asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
