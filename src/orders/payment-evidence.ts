import { z } from "zod";
import type { Database } from "../db/client";
import { findOrderEventEnvelope } from "../db/payout-reconciliation";
import type { FinancialEffect } from "../domain/payout-match";
import { EnvelopeSchema } from "../queues/envelope";
import { PermanentError } from "../queues/errors";
import { loadPayload } from "../queues/payload-store";

/** Shopify's gateway name for Shopify Payments, the only money that shows up in payouts. */
export const SHOPIFY_PAYMENTS_GATEWAY = "shopify_payments";

/** How and when a payment or refund the ERP received was made, from the kept webhook. */
export interface PaymentEvidence {
  viaShopifyPayments: boolean;
  /** Shopify's `X-Shopify-Triggered-At` of the webhook (for a reconciled one, `updated_at`). */
  occurredAtMs: number;
}

const PaidPayloadSchema = z.object({
  payment_gateway_names: z.array(z.string()).default([]),
});
const RefundPayloadSchema = z.object({
  transactions: z.array(z.object({ gateway: z.string().nullish() })).default([]),
});

/**
 * Reads the kept `orders/paid` (payment) or `refunds/create` (refund, by refund id) event
 * of an order. Returns undefined when the hub no longer has it (redacted, or recorded before
 * events were kept) or cannot read it: the caller then cannot tell whether the money should
 * have reached a payout.
 */
export async function paymentEvidence(
  env: Cloudflare.Env,
  db: Database,
  shop: string,
  record: { orderId: string; effect: FinancialEffect; revision: string },
): Promise<PaymentEvidence | undefined> {
  const eventKey =
    record.effect === "payment" ? "orders/paid" : `refunds/create:${record.revision}`;
  const stored = await findOrderEventEnvelope(db, shop, record.orderId, eventKey);
  if (!stored) return undefined;

  const envelope = EnvelopeSchema.safeParse(JSON.parse(stored));
  if (!envelope.success) return undefined;
  const occurredAtMs = Date.parse(envelope.data.triggeredAt);
  if (Number.isNaN(occurredAtMs)) return undefined;

  let payload: unknown;
  try {
    payload = await loadPayload(env.PAYLOADS, envelope.data);
  } catch (error) {
    // A payload deleted by retention or redaction: no evidence, counted as unverified.
    if (error instanceof PermanentError) return undefined;
    throw error;
  }

  if (record.effect === "payment") {
    const paid = PaidPayloadSchema.safeParse(payload);
    if (!paid.success) return undefined;
    const viaShopifyPayments = paid.data.payment_gateway_names.includes(SHOPIFY_PAYMENTS_GATEWAY);
    return { viaShopifyPayments, occurredAtMs };
  }
  const refund = RefundPayloadSchema.safeParse(payload);
  if (!refund.success) return undefined;
  const viaShopifyPayments = refund.data.transactions.some(
    (transaction) => transaction.gateway === SHOPIFY_PAYMENTS_GATEWAY,
  );
  return { viaShopifyPayments, occurredAtMs };
}
