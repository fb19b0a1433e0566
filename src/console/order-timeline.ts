import { and, desc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  deadLetters,
  orderEvents,
  orderExports,
  orderTargets,
  webhookReceipts,
} from "../db/schema";
import { EnvelopeSchema } from "../queues/envelope";

/** One thing the hub did for an order, with the trace id that ties it to logs. */
export interface TimelineEntry {
  at: number;
  kind:
    | "received"
    | "kept"
    | "export_attempt"
    | "exported"
    | "rejected"
    | "written_back"
    | "dead_lettered"
    | "replayed";
  summary: string;
  traceId: string | null;
}

export interface OrderTimeline {
  shop: string;
  orderId: string;
  orderName: string | null;
  entries: TimelineEntry[];
}

/** How many orders one lookup may match (an order name is per shop, not hub-wide). */
const MAX_MATCHES = 5;

/**
 * Finds orders by Shopify order name (`#1001`) or numeric id among `shops` (every shop
 * when `undefined`), and builds
 * each one's timeline from the ledgers: webhook receipts (found through the kept event
 * envelopes, since receipts carry no order id), kept events, export effects with their
 * attempts, per-connector write-back, and dead letters with replays.
 *
 * TODO(soon): breaker waits are not recorded per order, so the timeline cannot show them;
 * the message is re-queued without a trace in D1.
 */
export async function findOrderTimelines(
  db: Database,
  query: string,
  shops: readonly string[] | undefined,
): Promise<OrderTimeline[]> {
  const keys = await matchOrders(db, query.trim(), shops);
  return Promise.all(keys.map((key) => timelineOf(db, key.shop, key.orderId, key.orderName)));
}

async function matchOrders(db: Database, query: string, shops: readonly string[] | undefined) {
  if (shops?.length === 0 || query.length === 0) return [];
  const inShops = shops ? inArray(orderTargets.shop, [...shops]) : undefined;

  if (/^\d{1,20}$/.test(query)) {
    const [targets, events] = await Promise.all([
      db
        .selectDistinct({ shop: orderTargets.shop, orderName: orderTargets.orderName })
        .from(orderTargets)
        .where(and(inShops, eq(orderTargets.orderId, query))),
      db
        .selectDistinct({ shop: orderEvents.shop })
        .from(orderEvents)
        .where(
          and(
            shops ? inArray(orderEvents.shop, [...shops]) : undefined,
            eq(orderEvents.orderId, query),
          ),
        ),
    ]);
    const byShop = new Map<string, string | null>();
    for (const event of events) byShop.set(event.shop, null);
    for (const target of targets) byShop.set(target.shop, target.orderName);
    return [...byShop]
      .slice(0, MAX_MATCHES)
      .map(([shop, orderName]) => ({ shop, orderId: query, orderName }));
  }

  const name = query.startsWith("#") ? query : `#${query}`;
  return db
    .selectDistinct({
      shop: orderTargets.shop,
      orderId: orderTargets.orderId,
      orderName: orderTargets.orderName,
    })
    .from(orderTargets)
    .where(and(inShops, or(eq(orderTargets.orderName, name), eq(orderTargets.orderName, query))))
    .limit(MAX_MATCHES);
}

async function timelineOf(
  db: Database,
  shop: string,
  orderId: string,
  orderName: string | null,
): Promise<OrderTimeline> {
  const [targets, effects, events, letters] = await Promise.all([
    db
      .select()
      .from(orderTargets)
      .where(and(eq(orderTargets.shop, shop), eq(orderTargets.orderId, orderId))),
    db
      .select()
      .from(orderExports)
      .where(and(eq(orderExports.shop, shop), eq(orderExports.orderId, orderId))),
    db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.shop, shop), eq(orderEvents.orderId, orderId))),
    db
      .select()
      .from(deadLetters)
      .where(and(eq(deadLetters.shop, shop), eq(deadLetters.orderId, orderId)))
      .orderBy(desc(deadLetters.createdAt)),
  ]);

  const entries: TimelineEntry[] = [];
  const webhookIds: string[] = [];
  for (const event of events) {
    const envelope = EnvelopeSchema.safeParse(safeJson(event.envelope));
    const traceId = envelope.success ? traceIdOf(envelope.data.traceparent) : null;
    if (envelope.success) webhookIds.push(envelope.data.webhookId);
    entries.push({
      at: event.updatedAt,
      kind: "kept",
      summary: `Event ${event.eventKey} kept for replay`,
      traceId,
    });
  }
  entries.push(...(await receiptEntries(db, shop, webhookIds)));

  for (const effect of effects) {
    entries.push({
      at: effect.firstSeenAt,
      kind: "export_attempt",
      summary: `${effect.effect} → ${effect.connector}: ${effect.attempts} attempt(s), now ${effect.status}${effect.lastError ? ` (${effect.lastError})` : ""}`,
      traceId: effect.traceId,
    });
    if (effect.exportedAt !== null) {
      entries.push({
        at: effect.exportedAt,
        kind: effect.status === "rejected" ? "rejected" : "exported",
        summary: `${effect.effect} ${effect.status} by ${effect.connector}${effect.externalRef ? ` as ${effect.externalRef}` : ""}${effect.lagMs !== null ? `, ${effect.lagMs} ms after Shopify` : ""}`,
        traceId: effect.traceId,
      });
    }
  }
  for (const target of targets) {
    if (target.writtenBackAt !== null) {
      entries.push({
        at: target.writtenBackAt,
        kind: "written_back",
        summary: `${target.connector} reference ${target.externalRef ?? "?"} written back to Shopify`,
        traceId: target.traceId,
      });
    }
  }
  for (const letter of letters) {
    entries.push({
      at: letter.createdAt,
      kind: "dead_lettered",
      summary: `${letter.topic} parked after ${letter.attempts} attempt(s): ${letter.errorClass} ${letter.errorCode}`,
      traceId: deadLetterTrace(letter.envelope),
    });
    if (letter.replayCount > 0) {
      entries.push({
        at: letter.updatedAt,
        kind: "replayed",
        summary: `Dead letter ${letter.id} replayed (${letter.replayCount}×)`,
        traceId: deadLetterTrace(letter.envelope),
      });
    }
  }

  entries.sort((a, b) => a.at - b.at);
  const name = orderName ?? targets.find((target) => target.orderName)?.orderName ?? null;
  return { shop, orderId, orderName: name, entries };
}

async function receiptEntries(db: Database, shop: string, webhookIds: string[]) {
  if (webhookIds.length === 0) return [];
  const receipts = await db
    .select()
    .from(webhookReceipts)
    .where(and(eq(webhookReceipts.shop, shop), inArray(webhookReceipts.webhookId, webhookIds)));
  return receipts.map(
    (receipt): TimelineEntry => ({
      at: receipt.receivedAt,
      kind: "received",
      summary: `Webhook ${receipt.topic} ${receipt.webhookId} received, ${receipt.status}${receipt.queue ? ` to ${receipt.queue}` : ""}`,
      traceId: receipt.traceId,
    }),
  );
}

function deadLetterTrace(envelope: string): string | null {
  const parsed = EnvelopeSchema.safeParse(safeJson(envelope));
  return parsed.success ? traceIdOf(parsed.data.traceparent) : null;
}

function traceIdOf(traceparent: string): string | null {
  return /^00-([0-9a-f]{32})-/.exec(traceparent)?.[1] ?? null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // A row that is not JSON has no envelope to read; the entry says so.
  }
}
