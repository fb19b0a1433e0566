import type { Database } from "../db/client";
import { listOrderEvents } from "../db/order-events";
import { type Envelope, EnvelopeSchema } from "../queues/envelope";

/** Order events in the order a connector would have seen them happen. */
const TOPIC_ORDER = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"];

/**
 * Puts an order's kept events back on the orders queue, marked as a replay. The export is
 * idempotent, so only effects not yet accepted are sent again. Returns how many events
 * were queued (0 when the hub has never seen the order).
 */
export async function replayOrder(
  env: Cloudflare.Env,
  db: Database,
  shop: string,
  orderId: string,
  replayOf: string,
): Promise<number> {
  const events = await listOrderEvents(db, shop, orderId);
  const envelopes = events
    .map((event) => EnvelopeSchema.parse(JSON.parse(event.envelope)))
    .sort((a, b) => rank(a) - rank(b));
  if (envelopes.length === 0) return 0;

  // Cloudflare Queues' sendBatch takes at most 100 messages; an order has a handful.
  await env.ORDERS_QUEUE.sendBatch(
    envelopes.map((envelope) => ({
      body: { ...envelope, replayOf } satisfies Envelope,
      contentType: "json" as const,
    })),
  );
  return envelopes.length;
}

function rank(envelope: Envelope): number {
  const index = TOPIC_ORDER.indexOf(envelope.topic);
  return index === -1 ? TOPIC_ORDER.length : index;
}
