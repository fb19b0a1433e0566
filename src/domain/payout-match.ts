import { fromMinorUnits, toMinorUnits } from "./money";

/**
 * Matches what Shopify Payments settled against what the ERP accepted, per order and
 * effect (payment or refund). Pure: the caller loads both sides and checks the gateway
 * and timing of candidate extras. Amounts are compared in integer minor units, refunds by
 * their absolute value (Shopify books them negative).
 */

export type FinancialEffect = "payment" | "refund";

/** One CHARGE or REFUND balance transaction of a payout. */
export interface SettledTransaction {
  orderId: string;
  effect: FinancialEffect;
  amount: string;
  currency: string;
  payoutId: string;
  transactionId: string;
}

/** One payment or refund effect the ERP accepted (order_exports, status exported). */
export interface ErpFinancialRecord {
  orderId: string;
  effect: FinancialEffect;
  amount: string;
  currency: string;
  /** The refund id for a refund, "0" for a payment. */
  revision: string;
}

export interface Mismatch {
  kind: "missing" | "extra" | "amount";
  orderId: string;
  effect: FinancialEffect;
  payoutIds: string[];
  transactionIds: string[];
  shopify: { amount: string; currency: string } | null;
  erp: { amount: string; currency: string } | null;
  detail: string | null;
  /** For `extra`: the ERP records behind it (refund ids matter to find their evidence). */
  erpRevisions: string[];
}

interface Side {
  minor: number;
  currency: string;
  mixedCurrencies: boolean;
}

/**
 * `missing` and `amount` mismatches, and the ERP records with no transaction at all as
 * `extra` candidates: whether those are real depends on when and how they were paid,
 * which only the caller can tell.
 */
export function matchSettlements(
  settled: SettledTransaction[],
  erp: ErpFinancialRecord[],
): { mismatches: Mismatch[]; extraCandidates: Mismatch[] } {
  const shopify = group(settled);
  const ledger = group(erp);
  const mismatches: Mismatch[] = [];

  for (const [key, transactions] of shopify) {
    const [first] = transactions;
    if (!first) continue;
    const settledSide = total(transactions);
    const base = {
      orderId: first.orderId,
      effect: first.effect,
      payoutIds: unique(transactions.map((transaction) => transaction.payoutId)),
      transactionIds: transactions.map((transaction) => transaction.transactionId),
      shopify: present(settledSide),
      erpRevisions: [],
    };
    const records = ledger.get(key);
    if (!records) {
      mismatches.push({ ...base, kind: "missing", erp: null, detail: null });
      continue;
    }
    const erpSide = total(records);
    const detail = disagreement(settledSide, erpSide);
    if (detail) mismatches.push({ ...base, kind: "amount", erp: present(erpSide), detail });
  }

  const extraCandidates: Mismatch[] = [];
  for (const [key, records] of ledger) {
    const [first] = records;
    if (!first || shopify.has(key)) continue;
    extraCandidates.push({
      kind: "extra",
      orderId: first.orderId,
      effect: first.effect,
      payoutIds: [],
      transactionIds: [],
      shopify: null,
      erp: present(total(records)),
      detail: null,
      erpRevisions: records.map((record) => record.revision),
    });
  }
  return { mismatches, extraCandidates };
}

function group<T extends { orderId: string; effect: FinancialEffect }>(items: T[]) {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = `${item.orderId}:${item.effect}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

function total(items: { amount: string; currency: string }[]): Side {
  const currency = items[0]?.currency ?? "";
  const mixedCurrencies = items.some((item) => item.currency !== currency);
  const minor = items.reduce(
    (sum, item) => sum + Math.abs(toMinorUnits(item.amount, item.currency)),
    0,
  );
  return { minor, currency, mixedCurrencies };
}

function present(side: Side): { amount: string; currency: string } {
  return { amount: fromMinorUnits(side.minor, side.currency), currency: side.currency };
}

function disagreement(shopify: Side, erp: Side): string | null {
  if (shopify.mixedCurrencies || erp.mixedCurrencies) return "several currencies on one side";
  if (shopify.currency !== erp.currency) {
    return `currency differs: Shopify ${shopify.currency}, ERP ${erp.currency}`;
  }
  if (shopify.minor !== erp.minor) {
    const difference = fromMinorUnits(erp.minor - shopify.minor, erp.currency);
    return `ERP minus Shopify: ${difference} ${erp.currency}`;
  }
  return null;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
