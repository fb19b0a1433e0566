import { redactDeadLetters } from "../db/dead-letters";
import { deleteOrderEvents } from "../db/order-events";
import type { HandlerContext } from "../queues/handler";
import { deleteStoredPayloads } from "../queues/payload-store";
import { CustomerRedactSchema } from "./payloads";

export interface CustomerRedactResult {
  customerId: string;
  ordersToRedact: number;
  storedPayloadsDeleted: number;
  deadLettersRedacted: number;
  orderEventsDeleted: number;
}

/**
 * `customers/redact`: deletes every stored payload about the customer or the listed
 * orders and strips the payload from matching dead letters. Safe to run twice.
 */
export async function redactCustomer(
  shop: string,
  payload: unknown,
  ctx: HandlerContext,
): Promise<CustomerRedactResult> {
  const request = CustomerRedactSchema.parse(payload);
  const filter = { shop, customerId: request.customer.id, orderIds: request.orders_to_redact };

  const storedPayloadsDeleted = await deleteStoredPayloads(ctx.env.PAYLOADS, ctx.db, filter);
  const deadLettersRedacted = await redactDeadLetters(ctx.db, filter);
  const orderEventsDeleted = await deleteOrderEvents(ctx.db, filter);

  return {
    customerId: request.customer.id,
    ordersToRedact: request.orders_to_redact.length,
    storedPayloadsDeleted,
    deadLettersRedacted,
    orderEventsDeleted,
  };
}
