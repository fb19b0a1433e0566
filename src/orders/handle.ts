import { connectorConfig } from "../connectors/config";
import { rememberOrderEvent } from "../db/order-events";
import type { Envelope } from "../queues/envelope";
import type { HandlerContext } from "../queues/handler";
import { loadPayload } from "../queues/payload-store";
import { exportToConnector } from "./export";
import { readOrderEvent } from "./order-event";
import { orderRoutes } from "./routing";
import { writeBackReference } from "./write-back";

/**
 * The orders queue's consumer: keeps the event for replay, then exports it to every
 * connector the configured architecture routes it to, in route order, and writes each
 * connector's reference back to the Shopify order once. Idempotent end to end, so
 * redeliveries, replays and the reconciliation cron all come through here safely.
 */
export async function handleOrderEvent(envelope: Envelope, ctx: HandlerContext): Promise<void> {
  const payload = await loadPayload(ctx.env.PAYLOADS, envelope);
  const event = readOrderEvent(envelope, payload);
  if (!event) {
    ctx.logger.debug("order topic not exported", { topic: envelope.topic });
    return;
  }

  await rememberOrderEvent(ctx.db, {
    shop: envelope.shop,
    orderId: event.orderId,
    eventKey:
      event.effect === "refund" ? `${envelope.topic}:${event.refund.refundId}` : envelope.topic,
    customerId: event.customerId,
    orderUpdatedAt: event.revisionMs,
    envelope: JSON.stringify(envelope),
  });

  for (const route of orderRoutes(ctx.settings.ORDER_ARCHITECTURE)) {
    const connector = connectorConfig(ctx.settings, route.connector);
    if (!connector) continue;
    // A prerequisite connector that is not configured cannot accept anything: skip the wait.
    const after =
      route.after && connectorConfig(ctx.settings, route.after) ? route.after : undefined;

    const target = await exportToConnector(event, envelope, { ...route, after }, connector, ctx);
    if (target && connector.name !== "cdp") await writeBackReference(target, ctx);
  }
}
