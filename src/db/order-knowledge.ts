import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "./client";
import { orderEvents, orderTargets } from "./schema";

/** What the hub already knows about one order, for the reconciliation of missed webhooks. */
export interface OrderKnowledge {
  /** Order topics the hub has received (`orders/create`, `orders/paid`, ...). */
  topics: Set<string>;
  /** Newest order version (`updated_at`, epoch ms) received or exported; 0 if none. */
  latestSeenMs: number;
  /** Per connector row, the digest of the version that connector has (null: none yet). */
  exportedDigests: (string | null)[];
}

// D1 allows 100 bound parameters per statement; the shop takes one.
const IDS_PER_QUERY = 90;

/**
 * The hub's knowledge of each of `orderIds` that it has seen at all; orders it never saw
 * are absent from the map. Refund events are left out: their version is the refund's.
 */
export async function loadOrderKnowledge(
  db: Database,
  shop: string,
  orderIds: string[],
): Promise<Map<string, OrderKnowledge>> {
  const known = new Map<string, OrderKnowledge>();
  const entry = (orderId: string) => {
    let knowledge = known.get(orderId);
    if (!knowledge) {
      knowledge = { topics: new Set(), latestSeenMs: 0, exportedDigests: [] };
      known.set(orderId, knowledge);
    }
    return knowledge;
  };

  for (let start = 0; start < orderIds.length; start += IDS_PER_QUERY) {
    const ids = orderIds.slice(start, start + IDS_PER_QUERY);
    const [events, targets] = await Promise.all([
      db
        .select({
          orderId: orderEvents.orderId,
          eventKey: orderEvents.eventKey,
          orderUpdatedAt: orderEvents.orderUpdatedAt,
        })
        .from(orderEvents)
        .where(and(eq(orderEvents.shop, shop), inArray(orderEvents.orderId, ids))),
      db
        .select({
          orderId: orderTargets.orderId,
          exportedRevision: orderTargets.exportedRevision,
          exportedDigest: orderTargets.exportedDigest,
        })
        .from(orderTargets)
        .where(and(eq(orderTargets.shop, shop), inArray(orderTargets.orderId, ids))),
    ]);

    for (const event of events) {
      if (!event.eventKey.startsWith("orders/")) continue;
      const knowledge = entry(event.orderId);
      knowledge.topics.add(event.eventKey);
      knowledge.latestSeenMs = Math.max(knowledge.latestSeenMs, event.orderUpdatedAt ?? 0);
    }
    for (const target of targets) {
      const knowledge = entry(target.orderId);
      knowledge.exportedDigests.push(target.exportedDigest);
      knowledge.latestSeenMs = Math.max(knowledge.latestSeenMs, target.exportedRevision ?? 0);
    }
  }
  return known;
}
