import { describe, expect, it } from "vitest";
import {
  type ErpFinancialRecord,
  matchSettlements,
  type SettledTransaction,
} from "../../src/domain/payout-match";

function charge(orderId: string, amount: string, overrides: Partial<SettledTransaction> = {}) {
  return {
    orderId,
    effect: "payment",
    amount,
    currency: "USD",
    payoutId: "900",
    transactionId: `t-${orderId}-${amount}`,
    ...overrides,
  } satisfies SettledTransaction;
}

function erp(orderId: string, amount: string, overrides: Partial<ErpFinancialRecord> = {}) {
  return {
    orderId,
    effect: "payment",
    amount,
    currency: "USD",
    revision: "0",
    ...overrides,
  } satisfies ErpFinancialRecord;
}

describe("matchSettlements", () => {
  it("finds nothing when every charge and refund matches to the cent", () => {
    const result = matchSettlements(
      [charge("1", "19.99"), charge("2", "-5.00", { effect: "refund" })],
      [erp("1", "19.990"), erp("2", "5.00", { effect: "refund", revision: "77" })],
    );

    expect(result).toEqual({ mismatches: [], extraCandidates: [] });
  });

  it("reports a charge the ERP never received as missing", () => {
    const { mismatches } = matchSettlements([charge("1", "19.99")], []);

    expect(mismatches).toEqual([
      expect.objectContaining({
        kind: "missing",
        orderId: "1",
        effect: "payment",
        payoutIds: ["900"],
        shopify: { amount: "19.99", currency: "USD" },
        erp: null,
      }),
    ]);
  });

  it("sums split charges of one order before comparing", () => {
    const { mismatches } = matchSettlements(
      [charge("1", "10.00"), charge("1", "9.99")],
      [erp("1", "19.99")],
    );

    expect(mismatches).toEqual([]);
  });

  it.each([
    ["a cent apart", "19.98", "USD", "ERP minus Shopify: -0.01 USD"],
    ["in another currency", "19.99", "CAD", "currency differs: Shopify USD, ERP CAD"],
  ])("reports amounts %s", (_case, erpAmount, erpCurrency, detail) => {
    const { mismatches } = matchSettlements(
      [charge("1", "19.99")],
      [erp("1", erpAmount, { currency: erpCurrency })],
    );

    expect(mismatches).toEqual([expect.objectContaining({ kind: "amount", detail })]);
  });

  it("compares zero-decimal currencies in their own minor units", () => {
    const { mismatches } = matchSettlements(
      [charge("1", "1500", { currency: "JPY" })],
      [erp("1", "1500", { currency: "JPY" })],
    );

    expect(mismatches).toEqual([]);
  });

  it("offers ERP money without a transaction as an extra candidate, with its refund ids", () => {
    const { mismatches, extraCandidates } = matchSettlements(
      [],
      [erp("3", "5.00", { effect: "refund", revision: "77" })],
    );

    expect(mismatches).toEqual([]);
    expect(extraCandidates).toEqual([
      expect.objectContaining({
        kind: "extra",
        orderId: "3",
        effect: "refund",
        erp: { amount: "5.00", currency: "USD" },
        erpRevisions: ["77"],
      }),
    ]);
  });
});
