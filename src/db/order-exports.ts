import { and, asc, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "./client";
import { orderExports, orderTargets } from "./schema";

export type OrderTarget = typeof orderTargets.$inferSelect;
export type OrderExport = typeof orderExports.$inferSelect;
export type OrderTargetKey = { shop: string; orderId: string; connector: string };

/**
 * Takes the lease on (order, connector), creating the row on first sight. Exactly one of
 * several concurrent callers gets it; a lease whose holder died expires at `leaseUntil`.
 * Returns the row as the holder sees it, or `undefined` when someone else holds it.
 */
export async function acquireOrderTarget(
  db: Database,
  key: OrderTargetKey,
  details: { orderName: string | null; traceId: string; leaseMs: number },
  now = Date.now(),
): Promise<{ target: OrderTarget; owner: string } | undefined> {
  const owner = crypto.randomUUID();
  const leaseUntil = now + details.leaseMs;
  const [target] = await db
    .insert(orderTargets)
    .values({
      ...key,
      orderName: details.orderName,
      status: "pending",
      firstSeenAt: now,
      leaseOwner: owner,
      leaseUntil,
      traceId: details.traceId,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [orderTargets.shop, orderTargets.orderId, orderTargets.connector],
      set: { leaseOwner: owner, leaseUntil, updatedAt: now },
      setWhere: lt(orderTargets.leaseUntil, now),
    })
    .returning();
  return target ? { target, owner } : undefined;
}

/** Ends a lease early; a no-op when it already passed to someone else. */
export async function releaseOrderTarget(
  db: Database,
  key: OrderTargetKey,
  owner: string,
): Promise<void> {
  await db
    .update(orderTargets)
    .set({ leaseOwner: null, leaseUntil: 0 })
    .where(and(targetWhere(key), eq(orderTargets.leaseOwner, owner)));
}

export async function updateOrderTarget(
  db: Database,
  key: OrderTargetKey,
  changes: Partial<Omit<OrderTarget, keyof OrderTargetKey>>,
  now = Date.now(),
): Promise<void> {
  await db
    .update(orderTargets)
    .set({ ...changes, updatedAt: now })
    .where(targetWhere(key));
}

export async function findOrderTarget(
  db: Database,
  key: OrderTargetKey,
): Promise<OrderTarget | undefined> {
  const [target] = await db.select().from(orderTargets).where(targetWhere(key));
  return target;
}

function targetWhere(key: OrderTargetKey): SQL | undefined {
  return and(
    eq(orderTargets.shop, key.shop),
    eq(orderTargets.orderId, key.orderId),
    eq(orderTargets.connector, key.connector),
  );
}

export interface EffectClaim {
  connector: string;
  idempotencyKey: string;
  shop: string;
  orderId: string;
  effect: string;
  revision: string;
  traceId: string;
  amount?: string;
  currency?: string;
}

/** Effects in these states are never sent again: the connector has (or will ack) them. */
const SETTLED = new Set<OrderExport["status"]>(["exported", "awaiting_ack", "superseded"]);

/**
 * Records an attempt to send one effect, unless it is already settled. Callers hold the
 * order's lease, so read-then-write here cannot race another sender.
 */
export async function claimEffect(
  db: Database,
  claim: EffectClaim,
  now = Date.now(),
): Promise<{ send: true } | { send: false; existing: OrderExport }> {
  const existing = await findEffect(db, claim.connector, claim.idempotencyKey);
  if (existing && SETTLED.has(existing.status)) return { send: false, existing };

  await db
    .insert(orderExports)
    .values({
      ...claim,
      amount: claim.amount ?? null,
      currency: claim.currency ?? null,
      status: "sending",
      attempts: 1,
      firstSeenAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [orderExports.connector, orderExports.idempotencyKey],
      set: {
        status: "sending",
        attempts: (existing?.attempts ?? 0) + 1,
        traceId: claim.traceId,
        updatedAt: now,
      },
    });
  return { send: true };
}

export async function settleEffect(
  db: Database,
  key: { connector: string; idempotencyKey: string },
  changes: Partial<
    Pick<OrderExport, "status" | "externalRef" | "exportedAt" | "lagMs" | "lastError">
  >,
  now = Date.now(),
): Promise<void> {
  await db
    .update(orderExports)
    .set({ ...changes, updatedAt: now })
    .where(
      and(
        eq(orderExports.connector, key.connector),
        eq(orderExports.idempotencyKey, key.idempotencyKey),
      ),
    );
}

export async function findEffect(
  db: Database,
  connector: string,
  idempotencyKey: string,
): Promise<OrderExport | undefined> {
  const [row] = await db
    .select()
    .from(orderExports)
    .where(
      and(eq(orderExports.connector, connector), eq(orderExports.idempotencyKey, idempotencyKey)),
    );
  return row;
}

/** Everything the ledger knows about one order: per connector and per effect. */
export async function describeOrder(db: Database, shop: string, orderId: string) {
  const [targets, exports] = await Promise.all([
    db
      .select()
      .from(orderTargets)
      .where(and(eq(orderTargets.shop, shop), eq(orderTargets.orderId, orderId)))
      .orderBy(asc(orderTargets.connector)),
    db
      .select()
      .from(orderExports)
      .where(and(eq(orderExports.shop, shop), eq(orderExports.orderId, orderId)))
      .orderBy(asc(orderExports.firstSeenAt)),
  ]);
  return { targets, exports };
}

export interface OrderTargetFilter {
  shop?: string;
  connector?: string;
  status?: OrderTarget["status"];
  orderName?: string;
  /** Only rows first seen before this epoch-ms time: the cursor for the next page. */
  before?: number;
  limit: number;
}

export async function listOrderTargets(db: Database, filter: OrderTargetFilter) {
  const conditions = [
    filter.shop ? eq(orderTargets.shop, filter.shop) : undefined,
    filter.connector ? eq(orderTargets.connector, filter.connector) : undefined,
    filter.status ? eq(orderTargets.status, filter.status) : undefined,
    filter.orderName ? eq(orderTargets.orderName, filter.orderName) : undefined,
    filter.before ? lt(orderTargets.firstSeenAt, filter.before) : undefined,
  ];
  return db
    .select()
    .from(orderTargets)
    .where(and(...conditions))
    .orderBy(desc(orderTargets.firstSeenAt))
    .limit(filter.limit);
}

/** Deletes a shop's export ledger (ids and references only; used by `shop/redact`). */
export async function deleteShopOrderLedger(db: Database, shop: string): Promise<number> {
  const [targets, exports] = await db.batch([
    db.delete(orderTargets).where(eq(orderTargets.shop, shop)),
    db.delete(orderExports).where(eq(orderExports.shop, shop)),
  ]);
  return targets.meta.changes + exports.meta.changes;
}
