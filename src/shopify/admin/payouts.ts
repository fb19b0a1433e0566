import { z } from "zod";
import { PermanentError } from "../../queues/errors";
import { PAYOUT_BALANCE_TRANSACTIONS, PAYOUTS_SINCE } from "./documents";
import { MoneySchema, PageInfoSchema } from "./graphql-response";
import { type AdminContext, runAdminOperation } from "./run-operation";
import { timeFilter } from "./search-query";

/** Payouts and balance transactions per page. */
export const PAYOUTS_PAGE_SIZE = 50;

// shopifyPaymentsAccount 1 + connection 2 + per payout: the node and `net`.
const PAYOUTS_ESTIMATED_COST = 3 + PAYOUTS_PAGE_SIZE * 2;
// shopifyPaymentsAccount 1 + connection 2 + per transaction: the node, three MoneyV2
// objects and associatedOrder.
const TRANSACTIONS_ESTIMATED_COST = 3 + PAYOUTS_PAGE_SIZE * 5;

export const PayoutSchema = z.object({
  id: z.string(),
  legacyResourceId: z.string().regex(/^\d+$/),
  issuedAt: z.iso.datetime({ offset: true }),
  /** ShopifyPaymentsPayoutStatus: SCHEDULED, IN_TRANSIT, PAID, FAILED, CANCELED. */
  status: z.string(),
  net: MoneySchema,
});
export type Payout = z.infer<typeof PayoutSchema>;

export const BalanceTransactionSchema = z.object({
  id: z.string(),
  /** ShopifyPaymentsTransactionType, e.g. CHARGE, REFUND, ADJUSTMENT. */
  type: z.string(),
  transactionDate: z.iso.datetime({ offset: true }),
  /** The order transaction behind it (BigInt, as a string), when there is one. */
  sourceOrderTransactionId: z.string().nullable(),
  amount: MoneySchema,
  fee: MoneySchema,
  net: MoneySchema,
  associatedOrder: z.object({ id: z.string() }).nullable(),
});
export type BalanceTransaction = z.infer<typeof BalanceTransactionSchema>;

const PayoutsSinceDataSchema = z.object({
  shopifyPaymentsAccount: z
    .object({ payouts: z.object({ nodes: z.array(PayoutSchema), pageInfo: PageInfoSchema }) })
    .nullable(),
});

const PayoutBalanceTransactionsDataSchema = z.object({
  shopifyPaymentsAccount: z
    .object({
      balanceTransactions: z.object({
        nodes: z.array(BalanceTransactionSchema),
        pageInfo: PageInfoSchema,
      }),
    })
    .nullable(),
});

export interface Page<T> {
  nodes: T[];
  /** Pass `endCursor` back as `cursor` while `hasNextPage`. */
  pageInfo: z.infer<typeof PageInfoSchema>;
}

/**
 * One page of Shopify Payments payouts issued at or after `sinceIso`, oldest first.
 * Returns null when the shop has no Shopify Payments account.
 * @throws {PermanentError} `invalid_timestamp`, or Admin API failures (a token without
 *   `read_shopify_payments_payouts` gives `shopify_access_denied`).
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 */
export async function listPayoutsSince(
  ctx: AdminContext,
  shop: string,
  sinceIso: string,
  cursor?: string,
): Promise<Page<Payout> | null> {
  const data = await runAdminOperation(ctx, shop, {
    name: "PayoutsSince",
    document: PAYOUTS_SINCE,
    variables: {
      first: PAYOUTS_PAGE_SIZE,
      after: cursor ?? null,
      query: timeFilter("issued_at", ">=", sinceIso),
    },
    estimatedCost: PAYOUTS_ESTIMATED_COST,
    dataSchema: PayoutsSinceDataSchema,
  });
  return data.shopifyPaymentsAccount?.payouts ?? null;
}

/**
 * One page of the balance transactions a payout settled, by the payout's
 * `legacyResourceId`. Returns null when the shop has no Shopify Payments account.
 * @throws {PermanentError} `invalid_payout_id`, or Admin API failures.
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 */
export async function listPayoutBalanceTransactions(
  ctx: AdminContext,
  shop: string,
  payoutLegacyId: string,
  cursor?: string,
): Promise<Page<BalanceTransaction> | null> {
  if (!/^\d+$/.test(payoutLegacyId)) {
    throw new PermanentError("invalid_payout_id", `"${payoutLegacyId}" is not a payout id`);
  }

  const data = await runAdminOperation(ctx, shop, {
    name: "PayoutBalanceTransactions",
    document: PAYOUT_BALANCE_TRANSACTIONS,
    variables: {
      first: PAYOUTS_PAGE_SIZE,
      after: cursor ?? null,
      // The Admin API's name for the payout a transaction belongs to.
      query: `payments_transfer_id:${payoutLegacyId}`,
    },
    estimatedCost: TRANSACTIONS_ESTIMATED_COST,
    dataSchema: PayoutBalanceTransactionsDataSchema,
  });
  return data.shopifyPaymentsAccount?.balanceTransactions ?? null;
}
