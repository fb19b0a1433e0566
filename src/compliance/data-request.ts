import { and, eq, inArray, or } from "drizzle-orm";
import { deadLettersAbout } from "../db/dead-letters";
import { orderEventsAbout } from "../db/order-events";
import { storedPayloads } from "../db/schema";
import type { HandlerContext } from "../queues/handler";
import { CustomerDataRequestSchema } from "./payloads";

export interface DataRequestResult {
  customerId: string;
  dataRequestId?: string;
  /** R2 key of the JSON export the merchant hands to the customer. */
  exportKey: string;
  storedPayloads: number;
  deadLetters: number;
  orderEvents: number;
}

/** Where the export of a data request lives in the PAYLOADS bucket. */
export function dataExportKey(shop: string, webhookId: string): string {
  return `compliance/${shop}/${encodeURIComponent(webhookId)}.json`;
}

/**
 * `customers/data_request`: gathers everything the hub holds about the customer and the
 * listed orders into one JSON export in R2. The hub keeps no customer records of its own;
 * what it holds is stored webhook payloads, parked dead letters and the order events
 * kept for replay.
 */
export async function exportCustomerData(
  shop: string,
  webhookId: string,
  payload: unknown,
  ctx: HandlerContext,
): Promise<DataRequestResult> {
  const request = CustomerDataRequestSchema.parse(payload);
  const customerId = request.customer.id;
  const orderIds = request.orders_requested;

  const subjects = [eq(storedPayloads.customerId, customerId)];
  if (orderIds.length) subjects.push(inArray(storedPayloads.orderId, orderIds));
  const payloadRows = await ctx.db
    .select()
    .from(storedPayloads)
    .where(and(eq(storedPayloads.shop, shop), or(...subjects)));

  const payloads = [];
  for (const row of payloadRows) {
    const object = await ctx.env.PAYLOADS.get(row.key);
    payloads.push({
      topic: row.topic,
      webhookId: row.webhookId,
      receivedAt: new Date(row.createdAt).toISOString(),
      body: object ? await object.json() : null,
    });
  }
  const letters = await deadLettersAbout(ctx.db, { shop, customerId, orderIds });
  const events = await orderEventsAbout(ctx.db, { shop, customerId, orderIds });

  const exportKey = dataExportKey(shop, webhookId);
  const document = {
    shop,
    customerId,
    ordersRequested: orderIds,
    generatedAt: new Date().toISOString(),
    storedPayloads: payloads,
    deadLetters: letters.map((letter) => ({
      id: letter.id,
      topic: letter.topic,
      createdAt: new Date(letter.createdAt).toISOString(),
      envelope: JSON.parse(letter.envelope) as unknown,
    })),
    orderEvents: events.map((event) => ({
      orderId: event.orderId,
      event: event.eventKey,
      keptAt: new Date(event.updatedAt).toISOString(),
      envelope: JSON.parse(event.envelope) as unknown,
    })),
  };
  await ctx.env.PAYLOADS.put(exportKey, JSON.stringify(document), {
    httpMetadata: { contentType: "application/json" },
  });

  return {
    customerId,
    ...(request.data_request ? { dataRequestId: request.data_request.id } : {}),
    exportKey,
    storedPayloads: payloads.length,
    deadLetters: letters.length,
    orderEvents: events.length,
  };
}
