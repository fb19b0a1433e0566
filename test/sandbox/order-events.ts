import { Webhook } from "standardwebhooks";
import type { OrderEvent, Target } from "../../sandbox/connectors/order-event";
import {
  SANDBOX_ORIGIN,
  TEST_ERP_SIGNING_SECRET,
  TEST_OMS_SIGNING_SECRET,
} from "../support/sandbox";

export const SECRETS: Record<Target, string> = {
  erp: TEST_ERP_SIGNING_SECRET,
  oms: TEST_OMS_SIGNING_SECRET,
};

export interface OrderEventOptions {
  /** Signs with this secret instead of the target's. */
  secret?: string;
  /** Sent as the body instead of the serialised event. */
  body?: string;
  /** Overrides or, with `undefined`, removes headers. */
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

let counter = 0;

/** An order event as the hub would build it; each case overrides only what differs. */
export function buildOrderEvent(overrides: Partial<OrderEvent> = {}): OrderEvent {
  counter += 1;
  const orderId = overrides.orderId ?? `${5551110000 + counter}`;
  const effect = overrides.effect ?? "create";
  const shop = overrides.shop ?? "test-shop.myshopify.com";
  return {
    effect,
    shop,
    orderId,
    idempotencyKey: `${shop}:${orderId}:0:${effect}`,
    occurredAt: "2026-12-01T10:00:00.000Z",
    order: { id: orderId, name: `#${counter}`, lineItems: [{ sku: "SKU-1", quantity: 2 }] },
    ...overrides,
  };
}

/** A signed `POST {target}/v1/order-events` to the sandbox, as the connector protocol sends it. */
export function orderEventRequest(
  target: Target,
  event: OrderEvent,
  options: OrderEventOptions = {},
): Request {
  const body = options.body ?? JSON.stringify(event);
  const id = event.idempotencyKey;
  const now = new Date();
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "idempotency-key": id,
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(options.secret ?? SECRETS[target]).sign(id, now, body),
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    ...options.headers,
  };
  const defined = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return new Request(`${SANDBOX_ORIGIN}/${target}/v1/order-events`, {
    method: "POST",
    headers: defined,
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
