import { and, desc, eq, gte, inArray } from "drizzle-orm";
import type { Mismatch } from "../domain/payout-match";
import type { Database } from "./client";
import { orderEvents, orderExports, payoutMismatches, payoutReconciliationRuns } from "./schema";

export type PayoutRun = typeof payoutReconciliationRuns.$inferSelect;
export type PayoutMismatch = typeof payoutMismatches.$inferSelect;

export async function startPayoutRun(
  db: Database,
  shop: string,
  since: string,
  now = Date.now(),
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insert(payoutReconciliationRuns)
    .values({ id, shop, since, status: "running", startedAt: now });
  return id;
}

/** Records the run's outcome and its mismatches together (one atomic D1 batch). */
export async function finishPayoutRun(
  db: Database,
  run: { id: string; shop: string },
  outcome: Partial<Omit<PayoutRun, "id" | "shop" | "since" | "startedAt">>,
  mismatches: Mismatch[] = [],
  now = Date.now(),
): Promise<void> {
  const update = db
    .update(payoutReconciliationRuns)
    .set({ ...outcome, finishedAt: now })
    .where(eq(payoutReconciliationRuns.id, run.id));
  // One row per statement: 14 columns a row and D1's 100 bound parameters a statement.
  const inserts = mismatches.map((mismatch) =>
    db.insert(payoutMismatches).values({
      id: crypto.randomUUID(),
      runId: run.id,
      shop: run.shop,
      orderId: mismatch.orderId,
      kind: mismatch.kind,
      effect: mismatch.effect,
      payoutIds: mismatch.payoutIds.join(",") || null,
      transactionIds: mismatch.transactionIds.join(",") || null,
      shopifyAmount: mismatch.shopify?.amount ?? null,
      shopifyCurrency: mismatch.shopify?.currency ?? null,
      erpAmount: mismatch.erp?.amount ?? null,
      erpCurrency: mismatch.erp?.currency ?? null,
      detail: mismatch.detail,
      createdAt: now,
    }),
  );
  await db.batch([update, ...inserts]);
}

export async function listPayoutRuns(
  db: Database,
  filter: { shop?: string; runId?: string; limit: number },
): Promise<PayoutRun[]> {
  return db
    .select()
    .from(payoutReconciliationRuns)
    .where(
      and(
        filter.shop ? eq(payoutReconciliationRuns.shop, filter.shop) : undefined,
        filter.runId ? eq(payoutReconciliationRuns.id, filter.runId) : undefined,
      ),
    )
    .orderBy(desc(payoutReconciliationRuns.startedAt))
    .limit(filter.limit);
}

export async function listPayoutMismatches(
  db: Database,
  runIds: string[],
): Promise<PayoutMismatch[]> {
  if (runIds.length === 0) return [];
  return db.select().from(payoutMismatches).where(inArray(payoutMismatches.runId, runIds));
}

/** A payment or refund the ERP accepted, as the ledger recorded it. */
export interface ErpFinancialExport {
  orderId: string;
  effect: "payment" | "refund";
  revision: string;
  amount: string;
  currency: string;
}

// D1 allows 100 bound parameters per statement; shop, connector and status take three.
const IDS_PER_QUERY = 90;

/**
 * The ERP's accepted payments and refunds for `shop`: those of the listed orders, and any
 * settled since `since` (epoch ms), the candidates for an `extra`. Rows without an amount
 * (written before amounts were kept) are left out.
 */
export async function listErpFinancialExports(
  db: Database,
  shop: string,
  filter: { orderIds: string[]; since: number },
): Promise<ErpFinancialExport[]> {
  const base = and(
    eq(orderExports.shop, shop),
    eq(orderExports.connector, "erp"),
    eq(orderExports.status, "exported"),
    inArray(orderExports.effect, ["payment", "refund"]),
  );
  const queries = [
    db
      .select()
      .from(orderExports)
      .where(and(base, gte(orderExports.updatedAt, filter.since))),
  ];
  for (let start = 0; start < filter.orderIds.length; start += IDS_PER_QUERY) {
    const ids = filter.orderIds.slice(start, start + IDS_PER_QUERY);
    queries.push(
      db
        .select()
        .from(orderExports)
        .where(and(base, inArray(orderExports.orderId, ids))),
    );
  }

  const rows = new Map<string, ErpFinancialExport>();
  for (const row of (await Promise.all(queries)).flat()) {
    if (row.amount === null || row.currency === null) continue;
    if (row.effect !== "payment" && row.effect !== "refund") continue;
    rows.set(row.idempotencyKey, {
      orderId: row.orderId,
      effect: row.effect,
      revision: row.revision,
      amount: row.amount,
      currency: row.currency,
    });
  }
  return [...rows.values()];
}

/** The kept envelope of one order event (`orders/paid`, `refunds/create:<id>`), if any. */
export async function findOrderEventEnvelope(
  db: Database,
  shop: string,
  orderId: string,
  eventKey: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ envelope: orderEvents.envelope })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.shop, shop),
        eq(orderEvents.orderId, orderId),
        eq(orderEvents.eventKey, eventKey),
      ),
    );
  return row?.envelope;
}
