import type { Database } from "../db/client";
import {
  finishPayoutRun,
  listErpFinancialExports,
  startPayoutRun,
} from "../db/payout-reconciliation";
import { readWatermark, writeWatermark } from "../db/watermarks";
import { type Mismatch, matchSettlements, type SettledTransaction } from "../domain/payout-match";
import { PermanentError } from "../queues/errors";
import {
  type BalanceTransaction,
  listPayoutBalanceTransactions,
  listPayoutsSince,
  type Payout,
} from "../shopify/admin/payouts";
import type { AdminContext } from "../shopify/admin/run-operation";
import { paymentEvidence } from "./payment-evidence";

/** The watermark's job name in D1. */
export const PAYOUTS_RECONCILIATION_JOB = "payouts-reconciliation";
/** The first run of a shop examines payouts issued in the last week. */
export const FIRST_RUN_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
/** Pages of 50 payouts per run; a shop pays out at most daily, so this is months. */
const MAX_PAYOUT_PAGES = 4;
/** Pages of 50 balance transactions per payout before the run gives up on it. */
const MAX_TRANSACTION_PAGES = 200;
// Webhook times (X-Shopify-Triggered-At) and balance-transaction dates of the same charge
// differ by seconds to minutes; an ERP payment this close to the edge of the covered
// window is not called extra, since its transaction may sit in the neighbouring payout.
const EDGE_MARGIN_MS = 60 * 60 * 1000;
// Payouts that never paid out settle nothing; their transactions move to a later payout.
const UNSETTLED = new Set(["FAILED", "CANCELED"]);

export interface PayoutReconcileContext extends AdminContext {
  db: Database;
}

/** What one payout reconciliation of one shop found; the run row holds the same counts. */
export interface ShopPayoutReconciliation {
  shop: string;
  runId: string;
  payouts: number;
  transactions: number;
  missing: number;
  extra: number;
  amount: number;
  unverified: number;
}

/**
 * Compares the Shopify Payments payouts of `shop` issued since the watermark, transaction
 * by transaction, with the payments and refunds the ERP accepted, and stores every
 * mismatch with the run. Raises nothing: a warning is logged when something disagrees.
 * The watermark moves to the newest payout examined, which the next run examines again,
 * so consecutive runs cover time without gaps.
 * @throws {RetryableError} / {PermanentError} from the Admin API; the run is recorded failed.
 */
export async function reconcileShopPayouts(
  ctx: PayoutReconcileContext,
  shop: string,
  now = Date.now(),
): Promise<ShopPayoutReconciliation> {
  const stored = await readWatermark(ctx.db, shop, PAYOUTS_RECONCILIATION_JOB);
  const since = stored ?? new Date(now - FIRST_RUN_LOOKBACK_MS).toISOString();
  // Listed before the run row exists: a shop without a token or Shopify Payments access
  // fails here, recorded in cron_runs rather than as a run that never started.
  const payouts = await listSettledPayouts(ctx, shop, since);
  const runId = await startPayoutRun(ctx.db, shop, since, now);
  const run = { id: runId, shop };

  try {
    const settled: SettledTransaction[] = [];
    const examined: BalanceTransaction[] = [];
    for (const payout of payouts) {
      const transactions = await listAllTransactions(ctx, shop, payout);
      examined.push(...transactions);
      settled.push(...settledTransactions(payout, transactions));
    }
    const window = coveredWindow(examined);

    const erp = await listErpFinancialExports(ctx.db, shop, {
      orderIds: [...new Set(settled.map((transaction) => transaction.orderId))],
      since: window ? window.from - EDGE_MARGIN_MS : now,
    });
    const { mismatches, extraCandidates } = matchSettlements(settled, erp);
    const extras = await confirmExtras(ctx, shop, extraCandidates, window);
    const all = [...mismatches, ...extras.confirmed];

    const result: ShopPayoutReconciliation = {
      shop,
      runId,
      payouts: payouts.length,
      transactions: examined.length,
      missing: count(all, "missing"),
      extra: count(all, "extra"),
      amount: count(all, "amount"),
      unverified: extras.unverified,
    };
    const { shop: _shop, runId: _runId, ...counts } = result;
    await finishPayoutRun(
      ctx.db,
      run,
      {
        status: "succeeded",
        ...counts,
        coveredFrom: window?.from ?? null,
        coveredUntil: window?.until ?? null,
      },
      all,
    );

    const newest = payouts.at(-1);
    if (newest) {
      const issuedAt = new Date(newest.issuedAt).toISOString();
      await writeWatermark(ctx.db, shop, PAYOUTS_RECONCILIATION_JOB, issuedAt);
    }
    if (all.length > 0) ctx.logger.warn("payout reconciliation found mismatches", { ...result });
    else ctx.logger.info("payout reconciliation clean", { ...result });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishPayoutRun(ctx.db, run, { status: "failed", error: message });
    throw error;
  }
}

async function listSettledPayouts(
  ctx: AdminContext,
  shop: string,
  since: string,
): Promise<Payout[]> {
  const payouts: Payout[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAYOUT_PAGES; page += 1) {
    const listing = await listPayoutsSince(ctx, shop, since, cursor);
    if (!listing) return []; // No Shopify Payments account: nothing is settled there.
    payouts.push(...listing.nodes.filter((payout) => !UNSETTLED.has(payout.status)));
    if (!listing.pageInfo.hasNextPage || !listing.pageInfo.endCursor) break;
    cursor = listing.pageInfo.endCursor;
  }
  // Later payouts wait for the next run: the watermark only reaches the newest one examined.
  return payouts.sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt));
}

async function listAllTransactions(
  ctx: AdminContext,
  shop: string,
  payout: Payout,
): Promise<BalanceTransaction[]> {
  const all: BalanceTransaction[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page += 1) {
    if (page === MAX_TRANSACTION_PAGES) {
      throw new PermanentError(
        "payout_too_large",
        `payout ${payout.legacyResourceId} has more than ${MAX_TRANSACTION_PAGES} pages of transactions`,
      );
    }
    const listing = await listPayoutBalanceTransactions(ctx, shop, payout.legacyResourceId, cursor);
    if (!listing) return all;
    all.push(...listing.nodes);
    if (!listing.pageInfo.hasNextPage || !listing.pageInfo.endCursor) return all;
    cursor = listing.pageInfo.endCursor;
  }
}

/** Charges and refunds tied to an order; adjustments, reserves and fees are not the ERP's. */
function settledTransactions(
  payout: Payout,
  transactions: BalanceTransaction[],
): SettledTransaction[] {
  return transactions.flatMap((transaction) => {
    const effect =
      transaction.type === "CHARGE" ? "payment" : transaction.type === "REFUND" ? "refund" : null;
    const orderId = transaction.associatedOrder?.id.split("/").at(-1);
    if (!effect || !orderId || !/^\d+$/.test(orderId)) return [];
    return [
      {
        orderId,
        effect,
        amount: transaction.amount.amount,
        currency: transaction.amount.currencyCode,
        payoutId: payout.legacyResourceId,
        transactionId: transaction.id.split("/").at(-1) ?? transaction.id,
      },
    ];
  });
}

function coveredWindow(transactions: BalanceTransaction[]): { from: number; until: number } | null {
  const dates = transactions.map((transaction) => Date.parse(transaction.transactionDate));
  if (dates.length === 0) return null;
  return { from: Math.min(...dates), until: Math.max(...dates) };
}

/**
 * An ERP payment or refund without a transaction is `extra` only when it went through
 * Shopify Payments and happened well inside the time the examined payouts cover: money
 * taken by another gateway (bank transfer on B2B terms, PayPal, manual) never reaches a
 * payout, and money taken near the window's edges may settle in a neighbouring payout.
 * Candidates whose kept webhook is gone cannot be judged and are only counted.
 */
async function confirmExtras(
  ctx: PayoutReconcileContext,
  shop: string,
  candidates: Mismatch[],
  window: { from: number; until: number } | null,
): Promise<{ confirmed: Mismatch[]; unverified: number }> {
  const confirmed: Mismatch[] = [];
  let unverified = 0;
  if (!window) return { confirmed, unverified };

  for (const candidate of candidates) {
    const evidence = await Promise.all(
      candidate.erpRevisions.map((revision) =>
        paymentEvidence(ctx.env, ctx.db, shop, { ...candidate, revision }),
      ),
    );
    const known = evidence.filter((item) => item !== undefined);
    if (known.length === 0) {
      unverified += 1;
      continue;
    }
    const inside = known.some(
      (item) =>
        item.viaShopifyPayments &&
        item.occurredAtMs >= window.from + EDGE_MARGIN_MS &&
        item.occurredAtMs <= window.until - EDGE_MARGIN_MS,
    );
    if (inside) confirmed.push(candidate);
  }
  return { confirmed, unverified };
}

function count(mismatches: Mismatch[], kind: Mismatch["kind"]): number {
  return mismatches.filter((mismatch) => mismatch.kind === kind).length;
}
