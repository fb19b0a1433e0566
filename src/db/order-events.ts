import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Database } from "./client";
import { orderEvents } from "./schema";

export type OrderEvent = typeof orderEvents.$inferSelect;

/**
 * Keeps the envelope of an order event for replay by order id. A redelivery of an older
 * version of the same event never overwrites a newer one.
 */
export async function rememberOrderEvent(
  db: Database,
  event: Omit<OrderEvent, "updatedAt">,
  now = Date.now(),
): Promise<void> {
  await db
    .insert(orderEvents)
    .values({ ...event, updatedAt: now })
    .onConflictDoUpdate({
      target: [orderEvents.shop, orderEvents.orderId, orderEvents.eventKey],
      set: {
        envelope: event.envelope,
        orderUpdatedAt: event.orderUpdatedAt,
        customerId: event.customerId,
        updatedAt: now,
      },
      setWhere: sql`coalesce(${orderEvents.orderUpdatedAt}, 0) <= ${event.orderUpdatedAt ?? 0}`,
    });
}

export async function listOrderEvents(
  db: Database,
  shop: string,
  orderId: string,
): Promise<OrderEvent[]> {
  return db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.shop, shop), eq(orderEvents.orderId, orderId)));
}

/** Kept events about a customer or the listed orders (for a data request). */
export async function orderEventsAbout(
  db: Database,
  filter: { shop: string; customerId: string; orderIds: string[] },
): Promise<OrderEvent[]> {
  const subjects = [eq(orderEvents.customerId, filter.customerId)];
  if (filter.orderIds.length) subjects.push(inArray(orderEvents.orderId, filter.orderIds));
  return db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.shop, filter.shop), or(...subjects)));
}

/** Deletes kept events about a customer or the listed orders; returns how many went. */
export async function deleteOrderEvents(
  db: Database,
  filter: { shop: string; customerId?: string; orderIds?: string[]; all?: boolean },
): Promise<number> {
  const subjects = [];
  if (filter.customerId) subjects.push(eq(orderEvents.customerId, filter.customerId));
  if (filter.orderIds?.length) subjects.push(inArray(orderEvents.orderId, filter.orderIds));
  if (!filter.all && subjects.length === 0) return 0;

  const result = await db
    .delete(orderEvents)
    .where(and(eq(orderEvents.shop, filter.shop), filter.all ? undefined : or(...subjects)))
    .run();
  return result.meta.changes;
}
