import cancelledSample from "../../samples/webhooks/orders-cancelled.json";
import b2bSample from "../../samples/webhooks/orders-create-b2b.json";
import d2cSample from "../../samples/webhooks/orders-create-d2c.json";
import updatedSample from "../../samples/webhooks/orders-updated.json";
import refundSample from "../../samples/webhooks/refunds-create.json";
import {
  type CanonicalOrder,
  type CanonicalRefund,
  type OrderSource,
  toCanonicalOrder,
  toCanonicalRefund,
} from "../../src/orders/canonical";
import {
  ShopifyOrderPayloadSchema,
  ShopifyRefundPayloadSchema,
} from "../../src/orders/shopify-payload";

/**
 * The sample webhook bodies in samples/webhooks/, as raw JSON (a fresh copy per call, so a
 * case may change one freely) and mapped to the canonical order.
 */
export const rawSamples = {
  b2b: () => structuredClone(b2bSample),
  d2c: () => structuredClone(d2cSample),
  updated: () => structuredClone(updatedSample),
  cancelled: () => structuredClone(cancelledSample),
  refund: () => structuredClone(refundSample),
};

/** Where a sample order came from; each case overrides what differs. */
export function buildSource(overrides: Partial<OrderSource> = {}): OrderSource {
  return {
    shop: "dev-shop.myshopify.com",
    topic: "orders/create",
    apiVersion: "2026-10",
    webhookId: "b1f3c2d4-0000-4000-8000-000000001001",
    eventId: "e1f3c2d4-0000-4000-8000-000000001001",
    traceId: "0af7651916cd43dd8448eb211c80319c",
    ...overrides,
  };
}

/** A sample order payload, parsed and mapped as the export does it. */
export function canonicalSample(raw: unknown, source: OrderSource = buildSource()): CanonicalOrder {
  return toCanonicalOrder(ShopifyOrderPayloadSchema.parse(raw), source);
}

/** The sample refund, parsed and mapped as the export does it. */
export function canonicalRefundSample(raw: unknown = rawSamples.refund()): CanonicalRefund {
  return toCanonicalRefund(ShopifyRefundPayloadSchema.parse(raw));
}
