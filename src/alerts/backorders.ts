import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { alerts } from "../db/schema";
import { reservationIdOf } from "../inventory/operations";
import { stockObject } from "../inventory/push/message";
import { resolveAlerts } from "./raise";

// Open backorder tickets looked at per run, least recently seen first; the rest wait a minute.
const CHECKED_PER_RUN = 200;
// Reservations in these states still wait for stock when they have backordered units.
const WAITING = new Set(["pending", "held"]);

/**
 * Resolves the open `backorder` tickets whose reservation no longer waits for stock: the
 * stock came and filled it, or the line was released, committed or expired. Each ticket's
 * SKU object is asked about the order line its detail names (src/inventory/handle.ts and the
 * confirmations route write `sku`, `orderId` and `lineId`); an object that cannot be reached
 * leaves its ticket open for the next run. Returns the keys resolved.
 */
export async function resolveFilledBackorders(
  env: Cloudflare.Env,
  db: Database,
): Promise<string[]> {
  const open = await db
    .select({
      key: alerts.dedupeKey,
      shop: alerts.shop,
      sku: sql<string | null>`json_extract(${alerts.detail}, '$.sku')`,
      orderId: sql<string | null>`json_extract(${alerts.detail}, '$.orderId')`,
      lineId: sql<string | null>`json_extract(${alerts.detail}, '$.lineId')`,
    })
    .from(alerts)
    .where(and(eq(alerts.kind, "backorder"), eq(alerts.status, "open")))
    .orderBy(asc(alerts.lastSeenAt))
    .limit(CHECKED_PER_RUN);

  const cleared: string[] = [];
  for (const { key, shop, sku, orderId, lineId } of open) {
    // A ticket without the line it is about is left for an operator.
    if (!shop || !sku || !orderId || !lineId) continue;
    const state = await stockObject(env, shop, sku)
      .reservationState(reservationIdOf(orderId, lineId))
      .catch(() => undefined);
    if (state === undefined) continue;
    if (state === null || state.backordered === 0 || !WAITING.has(state.status)) {
      cleared.push(key);
    }
  }
  return resolveAlerts(env, cleared);
}
