import b2bOrder from "../../samples/webhooks/orders-create-b2b.json";
import refund from "../../samples/webhooks/refunds-create.json";
import type { Envelope } from "../../src/queues/envelope";
import { SHOP } from "./webhooks";

let nextOrderId = 7_000_000_000_000;

/** A fresh order id per test: D1 and the sandbox keep state for the whole file. */
export function newOrderId(): string {
  nextOrderId += 1;
  return String(nextOrderId);
}

/** The B2B sample order under another id, at a given `updated_at`. */
export function orderPayload(
  orderId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...b2bOrder,
    id: Number(orderId),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#T${orderId.slice(-4)}`,
    ...overrides,
  };
}

/** The sample refund, moved onto `orderId`. */
export function refundPayload(orderId: string, refundId = "1050000002001") {
  return { ...refund, id: Number(refundId), order_id: Number(orderId) };
}

let counter = 0;

/** An orders-queue envelope as the ingress would build it. */
export function orderEnvelope(topic: string, payload: Record<string, unknown>): Envelope {
  counter += 1;
  const orderId = String(topic.startsWith("refunds/") ? payload.order_id : payload.id);
  return {
    version: 1,
    domain: "orders",
    topic,
    shop: SHOP,
    webhookId: `order-wh-${counter}-${crypto.randomUUID()}`,
    eventId: `order-ev-${counter}`,
    triggeredAt: new Date(Date.now() - 1000).toISOString(),
    receivedAt: new Date().toISOString(),
    apiVersion: "2026-10",
    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    subjects: { orderId, customerId: "8123450001001" },
    payload,
  };
}

export function message(envelope: Envelope, attempts = 1) {
  return { id: `${envelope.webhookId}-${attempts}`, attempts, body: envelope };
}

/** Creates the order in the Shopify stand-in, so the write-back has something to write to. */
export async function seedShopifyOrder(orderId: string, shop = SHOP): Promise<void> {
  const response = await fetch("http://sandbox.test/shopify/_control/seed", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shop,
      orders: [{ legacyResourceId: orderId, updatedAt: "2026-12-01T15:14:05Z" }],
    }),
  });
  if (!response.ok) throw new Error(`seeding the Shopify stand-in failed: ${response.status}`);
}

/** A new order id, known to the Shopify stand-in (see {@link seedShopifyOrder}). */
export async function freshShopifyOrder(shop = SHOP): Promise<string> {
  const orderId = newOrderId();
  await seedShopifyOrder(orderId, shop);
  return orderId;
}

/** What the hub wrote onto the order in the Shopify stand-in. */
export async function shopifyOrder(orderId: string, shop = SHOP) {
  const response = await fetch(`http://sandbox.test/shopify/_control/orders/${shop}`);
  const body = (await response.json()) as {
    orders: { id: string; tags: string[]; metafields: Record<string, { value: string }> }[];
  };
  return body.orders.find((order) => order.id === `gid://shopify/Order/${orderId}`);
}
