import { raiseAlert } from "../alerts/raise";
import { formatTraceparent, nextTrace } from "../observability/trace";
import type { Envelope } from "../queues/envelope";
import { RetryableError } from "../queues/errors";
import type { HandlerContext } from "../queues/handler";
import { loadPayload } from "../queues/payload-store";
import { STOCK_FAN_OUT, settleConcurrently } from "./fan-out";
import type { ReservationView } from "./operations";
import { type LineChange, planLineChanges } from "./order-events";
import { stockObject } from "./push/message";

/**
 * The inventory queue's consumer: order and fulfilment webhooks reserve, release and
 * commit stock, one SKU object per order line. Every step is idempotent by order and line
 * id, so redeliveries and replays are harmless. A line Shopify sold beyond the stock is
 * backordered and raised as a ticket alert.
 * @throws {RetryableError} `stock_unavailable` when an object could not be reached; lines
 *   that did succeed are duplicates on the retry.
 */
export async function handleInventoryEvent(envelope: Envelope, ctx: HandlerContext): Promise<void> {
  const payload = await loadPayload(ctx.env.PAYLOADS, envelope);
  const changes = planLineChanges(envelope, payload, ctx.settings, ctx.logger);
  if (!changes) {
    ctx.logger.debug("topic does not move stock", { topic: envelope.topic });
    return;
  }

  const results = await settleConcurrently(changes, STOCK_FAN_OUT, (change) =>
    applyChange(ctx, envelope.shop, change),
  );

  for (const [index, result] of results.entries()) {
    const change = changes[index];
    if (result.status === "fulfilled" && change)
      await alertBackorder(ctx, envelope, change, result.value);
  }
  const failed = results.filter((result) => result.status === "rejected");
  if (failed[0]?.status === "rejected") {
    throw new RetryableError(
      "stock_unavailable",
      `${failed.length} of ${changes.length} order lines could not reach their stock object`,
      { cause: failed[0].reason },
    );
  }

  ctx.logger.info("order moved stock", {
    lines: changes.length,
    applied: results.filter((r) => r.status === "fulfilled" && r.value.outcome === "applied")
      .length,
  });
}

function applyChange(ctx: HandlerContext, shop: string, change: LineChange) {
  const stock = stockObject(ctx.env, shop, change.sku);
  const key = { shop, sku: change.sku };
  // The stock object is one more hop of the webhook's trace.
  const traceparent = formatTraceparent(nextTrace(ctx.trace));
  return change.action === "reserve"
    ? stock.reserve(key, change.input, traceparent)
    : stock.settle(key, change.input, traceparent);
}

async function alertBackorder(
  ctx: HandlerContext,
  envelope: Envelope,
  change: LineChange,
  view: ReservationView,
): Promise<void> {
  if (view.backordered === 0 || (view.status !== "pending" && view.status !== "held")) return;
  await raiseAlert(ctx.env, {
    kind: "backorder",
    severity: "ticket",
    key: `backorder:${envelope.shop}:${change.sku}:${view.reservationId}`,
    shop: envelope.shop,
    detail: {
      sku: change.sku,
      orderId: view.orderId,
      lineId: view.lineId,
      quantity: view.quantity,
      backordered: view.backordered,
    },
  });
  ctx.logger.warn("order line backordered", {
    sku: change.sku,
    orderId: view.orderId,
    backordered: view.backordered,
  });
}
