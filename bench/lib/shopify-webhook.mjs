import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR } from "./paths.mjs";

/** The Admin API version the hub pins (wrangler.toml SHOPIFY_API_VERSION). */
const API_VERSION = "2026-10";

/**
 * The raw body for a topic: `BENCH_PAYLOAD` when given, otherwise the built-in sample
 * `bench/payloads/<topic with / as ->.json`. Read as bytes because Shopify signs bytes.
 */
export function loadPayload(topic, payloadPath) {
  const path = payloadPath ?? join(BENCH_DIR, "payloads", `${topic.replace("/", "-")}.json`);
  if (!existsSync(path)) {
    throw new Error(
      `No payload for ${topic}: ${path} does not exist. Set BENCH_PAYLOAD to a JSON file.`,
    );
  }

  const body = readFileSync(path);
  try {
    JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new Error(`${path} is not valid JSON`, { cause: error });
  }
  return body;
}

/**
 * One Shopify webhook delivery as autocannon sends it, over and over.
 *
 * The hub dedupes on (shop, X-Shopify-Webhook-Id), so a repeated id would measure the
 * duplicate shortcut instead of ingest. `setupRequest` therefore gives every request a
 * fresh webhook id, event id and trigger time. The body never changes, so its HMAC — which
 * covers the body only — is computed once.
 *
 * @returns {{ method: string, path: string, body: Buffer, headers: Record<string, string>,
 *   setupRequest: (request: { headers: Record<string, string> }) => object }}
 */
export function signedWebhookRequest({ topic, shop, secret, body, path = "/webhooks/shopify" }) {
  const hmac = createHmac("sha256", secret).update(body).digest("base64");

  return {
    method: "POST",
    path,
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": API_VERSION,
    },
    setupRequest(request) {
      // autocannon hands over a fresh copy of the headers for each request.
      request.headers["X-Shopify-Webhook-Id"] = randomUUID();
      request.headers["X-Shopify-Event-Id"] = randomUUID();
      request.headers["X-Shopify-Triggered-At"] = new Date().toISOString();
      return request;
    },
  };
}

/**
 * Sends one delivery of `request` whose body no longer matches its signature and returns
 * the status. A receiver that answers this with 2xx is not verifying HMACs, and its
 * numbers would flatter it.
 */
export async function sendForgedDelivery(baseUrl, request) {
  const headers = request.setupRequest({ headers: { ...request.headers } }).headers;
  const forgedBody = Buffer.concat([request.body, Buffer.from(" ")]);
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    headers,
    body: forgedBody,
  });
  await response.arrayBuffer();
  return response.status;
}
