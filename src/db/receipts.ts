import { and, count, eq, gte, lt, or } from "drizzle-orm";
import type { Database } from "./client";
import { webhookReceipts } from "./schema";

type NewReceipt = typeof webhookReceipts.$inferInsert;

/**
 * A `pending` claim older than this belonged to a request that died between claiming and
 * enqueuing; a later delivery may take it over. Shopify gives a webhook 5 s in all.
 */
export const STALE_CLAIM_MS = 30_000;

export type ClaimResult =
  | { claimed: true }
  | { claimed: false; status: "pending" | "enqueued" | "ignored" | "failed" };

/**
 * Atomically records a delivery, or takes over one whose earlier attempt failed or died.
 * Exactly one of several concurrent deliveries of the same webhook id gets `claimed: true`.
 */
export async function claimReceipt(
  db: Database,
  receipt: Omit<NewReceipt, "status" | "claimedAt">,
  now = Date.now(),
): Promise<ClaimResult> {
  const claimed = await db
    .insert(webhookReceipts)
    .values({ ...receipt, status: "pending", claimedAt: now })
    .onConflictDoUpdate({
      target: [webhookReceipts.shop, webhookReceipts.webhookId],
      set: { status: "pending", claimedAt: now, traceId: receipt.traceId },
      setWhere: or(
        eq(webhookReceipts.status, "failed"),
        and(
          eq(webhookReceipts.status, "pending"),
          lt(webhookReceipts.claimedAt, now - STALE_CLAIM_MS),
        ),
      ),
    })
    .returning({ webhookId: webhookReceipts.webhookId });
  if (claimed.length > 0) return { claimed: true };

  const [existing] = await db
    .select({ status: webhookReceipts.status })
    .from(webhookReceipts)
    .where(
      and(eq(webhookReceipts.shop, receipt.shop), eq(webhookReceipts.webhookId, receipt.webhookId)),
    );
  return { claimed: false, status: existing?.status ?? "pending" };
}

/** Records how a claimed delivery ended. `failed` lets Shopify's retry claim it again. */
export async function settleReceipt(
  db: Database,
  key: { shop: string; webhookId: string },
  outcome: { status: "enqueued" | "failed" | "ignored"; queue?: string; payloadKey?: string },
): Promise<void> {
  await db
    .update(webhookReceipts)
    .set({
      status: outcome.status,
      queue: outcome.queue ?? null,
      payloadKey: outcome.payloadKey ?? null,
    })
    .where(and(eq(webhookReceipts.shop, key.shop), eq(webhookReceipts.webhookId, key.webhookId)));
}

/** Receipt counts per shop, topic and status since `sinceMs`: what arrived and what was ignored. */
export async function summariseReceipts(db: Database, sinceMs: number) {
  return db
    .select({
      shop: webhookReceipts.shop,
      topic: webhookReceipts.topic,
      status: webhookReceipts.status,
      deliveries: count(),
    })
    .from(webhookReceipts)
    .where(gte(webhookReceipts.receivedAt, sinceMs))
    .groupBy(webhookReceipts.shop, webhookReceipts.topic, webhookReceipts.status)
    .orderBy(webhookReceipts.shop, webhookReceipts.topic);
}

/** Deletes receipts older than `beforeMs`; returns how many went. */
export async function purgeReceipts(db: Database, beforeMs: number): Promise<number> {
  const result = await db
    .delete(webhookReceipts)
    .where(lt(webhookReceipts.receivedAt, beforeMs))
    .run();
  return result.meta.changes;
}

export async function deleteShopReceipts(db: Database, shop: string): Promise<number> {
  const result = await db.delete(webhookReceipts).where(eq(webhookReceipts.shop, shop)).run();
  return result.meta.changes;
}
