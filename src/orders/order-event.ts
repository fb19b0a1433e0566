import { MoneyFormatError } from "../domain/money";
import { parseTraceparent } from "../observability/trace";
import type { Envelope } from "../queues/envelope";
import { PermanentError } from "../queues/errors";
import {
  type CanonicalOrder,
  type CanonicalRefund,
  toCanonicalOrder,
  toCanonicalRefund,
} from "./canonical";
import { effectOfTopic, type OrderEffect } from "./routing";
import { ShopifyOrderPayloadSchema, ShopifyRefundPayloadSchema } from "./shopify-payload";

/** One order webhook, understood: what it asks for and the data it carries. */
export type OrderEvent =
  | {
      effect: Exclude<OrderEffect, "refund">;
      orderId: string;
      order: CanonicalOrder;
      /** The order's `updated_at` in epoch ms: the version of the order this event holds. */
      revisionMs: number;
      customerId: string | null;
    }
  | {
      effect: "refund";
      orderId: string;
      refund: CanonicalRefund;
      revisionMs: number;
      customerId: string | null;
    };

/**
 * Parses an order-domain envelope's payload into an {@link OrderEvent}, or `undefined` for
 * order topics the export does not act on (fulfilment events belong to inventory).
 * @throws {PermanentError} `invalid_order_payload` when the payload is not what the topic promises
 */
export function readOrderEvent(envelope: Envelope, payload: unknown): OrderEvent | undefined {
  const effect = effectOfTopic(envelope.topic);
  if (!effect) return undefined;

  try {
    if (effect === "refund") {
      const parsed = ShopifyRefundPayloadSchema.safeParse(payload);
      if (!parsed.success) throw invalid(envelope.topic, parsed.error.issues);
      const refund = toCanonicalRefund(parsed.data);
      return {
        effect,
        orderId: refund.orderId,
        refund,
        revisionMs: epochMs("created_at", refund.createdAt),
        customerId: envelope.subjects.customerId ?? null,
      };
    }

    const parsed = ShopifyOrderPayloadSchema.safeParse(payload);
    if (!parsed.success) throw invalid(envelope.topic, parsed.error.issues);
    const order = toCanonicalOrder(parsed.data, {
      shop: envelope.shop,
      topic: envelope.topic,
      apiVersion: envelope.apiVersion,
      webhookId: envelope.webhookId,
      eventId: envelope.eventId,
      traceId: parseTraceparent(envelope.traceparent)?.traceId ?? "",
    });
    return {
      effect,
      orderId: order.orderId,
      order,
      revisionMs: epochMs("updated_at", order.updatedAt),
      customerId: order.customer?.customerId ?? null,
    };
  } catch (error) {
    if (error instanceof MoneyFormatError) {
      throw new PermanentError("invalid_order_payload", error.message, { cause: error });
    }
    throw error;
  }
}

// The revision is stored and compared as a number; NaN would slip past every comparison.
function epochMs(field: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new PermanentError("invalid_order_payload", `${field} "${value}" is not a date`);
  }
  return ms;
}

function invalid(
  topic: string,
  issues: { path: PropertyKey[]; message: string }[],
): PermanentError {
  const detail = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  return new PermanentError("invalid_order_payload", `${topic} payload: ${detail}`);
}
