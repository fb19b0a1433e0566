import { z } from "zod";
import type { Settings } from "../config/settings";
import type { Logger } from "../observability/logger";
import { type ShopifyOrderPayload, ShopifyOrderPayloadSchema } from "../orders/shopify-payload";
import type { Envelope } from "../queues/envelope";
import { PermanentError } from "../queues/errors";
import type { ReserveInput, SettleInput } from "./operations";

/** What one order line asks of its SKU's object. */
export type LineChange =
  | { sku: string; action: "reserve"; input: ReserveInput }
  | { sku: string; action: "settle"; input: SettleInput };

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

/** The parts of a `fulfillments/*` payload that move stock. */
export const FulfillmentPayloadSchema = z.object({
  id: Id,
  order_id: Id,
  status: z.string().nullish(),
  line_items: z.array(z.object({ id: Id, sku: z.string().nullish(), quantity: z.number().int() })),
});

/**
 * The stock changes an order or fulfilment webhook asks for, one per line with a SKU:
 * created or updated orders reserve (an unpaid order without payment terms for
 * INVENTORY_RESERVATION_TTL_SECONDS from its creation), cancelled orders release, fulfilled
 * orders and successful fulfilments commit. Lines without a SKU are skipped with a log.
 * Returns `undefined` for topics that do not move stock.
 * @throws {PermanentError} `invalid_order_payload` when the payload is not what the topic promises.
 */
export function planLineChanges(
  envelope: Envelope,
  payload: unknown,
  settings: Settings,
  logger: Logger,
): LineChange[] | undefined {
  const topic = envelope.topic;
  if (topic === "fulfillments/create" || topic === "fulfillments/update") {
    const fulfillment = parse(FulfillmentPayloadSchema, payload, topic);
    // Only a fulfilment that happened takes units out; cancelled or failed ones change nothing.
    if (fulfillment.status !== "success") return [];
    return withSkus(fulfillment.line_items, logger).map(({ sku, line }) =>
      settleChange(sku, fulfillment.order_id, line.id, "commit", topic),
    );
  }
  if (!topic.startsWith("orders/")) return undefined;

  const order = parse(ShopifyOrderPayloadSchema, payload, topic);
  const lines = withSkus(order.line_items, logger);
  const fulfilled = topic === "orders/fulfilled" || order.fulfillment_status === "fulfilled";

  if (topic === "orders/cancelled" || order.cancelled_at) {
    return lines.map(({ sku, line }) => settleChange(sku, order.id, line.id, "release", topic));
  }
  if (fulfilled) {
    return lines.map(({ sku, line }) => settleChange(sku, order.id, line.id, "commit", topic));
  }
  if (topic !== "orders/create" && topic !== "orders/updated") return undefined;

  const expiresAt = reservationExpiry(order, settings.INVENTORY_RESERVATION_TTL_SECONDS);
  return lines
    .filter(({ line }) => line.quantity > 0)
    .map(({ sku, line }) => ({
      sku,
      action: "reserve" as const,
      input: { orderId: order.id, lineId: line.id, quantity: line.quantity, expiresAt },
    }));
}

/**
 * When an order's hold ends: unpaid orders without payment terms expire a TTL after they
 * were created; paid orders and B2B orders on terms hold until fulfilled or cancelled.
 */
export function reservationExpiry(order: ShopifyOrderPayload, ttlSeconds: number): number | null {
  const unpaid = order.financial_status === "pending" && !order.payment_terms;
  if (!unpaid) return null;
  const created = Date.parse(order.created_at);
  return (Number.isNaN(created) ? Date.now() : created) + ttlSeconds * 1000;
}

function settleChange(
  sku: string,
  orderId: string,
  lineId: string,
  action: SettleInput["action"],
  source: string,
): LineChange {
  return { sku, action: "settle", input: { orderId, lineId, action, source } };
}

function withSkus<Line extends { id: string; sku?: string | null }>(lines: Line[], logger: Logger) {
  const withSku: { sku: string; line: Line }[] = [];
  for (const line of lines) {
    const sku = line.sku?.trim();
    if (sku) withSku.push({ sku, line });
    else logger.info("order line without a SKU; no stock to move", { lineId: line.id });
  }
  return withSku;
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, topic: string): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new PermanentError(
    "invalid_order_payload",
    `${topic}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
  );
}
