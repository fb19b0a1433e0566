import type { OrderKnowledge } from "../db/order-knowledge";
import { formatTraceparent, nextTrace } from "../observability/trace";
import type { Envelope } from "../queues/envelope";
import type { WebhookOrderPayload } from "../shopify/admin/order-for-export";
import { payloadSubjects } from "../shopify/topics";

/** Financial statuses an order only reaches after it was paid in full (`orders/paid`). */
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

/**
 * The webhooks the hub should have received for this version of an order and did not,
 * in the order a connector would have seen them: `orders/create` for an order the hub
 * never saw (else `orders/updated`, unless `unchanged`), then `orders/paid` and
 * `orders/cancelled` when the order is paid or cancelled and the hub never heard so.
 * Missed `refunds/create` are not rebuilt: payout reconciliation reports them.
 */
export function missedTopics(
  order: Pick<WebhookOrderPayload, "financial_status" | "cancelled_at">,
  known: OrderKnowledge | undefined,
  unchanged: boolean,
): string[] {
  const topics: string[] = [];
  if (!known) topics.push("orders/create");
  else if (!unchanged) topics.push("orders/updated");

  const seen = known?.topics ?? new Set<string>();
  if (PAID_STATUSES.has(order.financial_status ?? "") && !seen.has("orders/paid")) {
    topics.push("orders/paid");
  }
  if (order.cancelled_at && !seen.has("orders/cancelled")) topics.push("orders/cancelled");
  return topics;
}

/**
 * The envelope the webhook ingress would have built for a missed delivery. Ids are
 * deterministic (webhook id `reconcile:<orderId>:<updatedAtMs>:<topic>`, event id without the topic), so feeding the same
 * order version twice is recognisably the same event; the trace is new.
 */
export function reconciledEnvelope(
  shop: string,
  topic: string,
  payload: Pick<WebhookOrderPayload, "id" | "updated_at">,
  apiVersion: string,
  now = Date.now(),
): Envelope {
  const orderId = String(payload.id);
  const updatedAt = new Date(payload.updated_at);
  const version = `reconcile:${orderId}:${updatedAt.getTime()}`;
  return {
    version: 1,
    domain: "orders",
    topic,
    shop,
    webhookId: `${version}:${topic}`,
    eventId: version,
    triggeredAt: updatedAt.toISOString(),
    receivedAt: new Date(now).toISOString(),
    apiVersion,
    traceparent: formatTraceparent(nextTrace()),
    subjects: payloadSubjects(topic, payload),
    payload,
  };
}
