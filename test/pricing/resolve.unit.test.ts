import { describe, expect, it } from "vitest";
import type { PublishedEntry, PublishedPromotion, SkuPrices } from "../../src/pricing/layout";
import {
  type BookView,
  type ContractQuote,
  chooseContractList,
  resolveCart,
  skusNeedingQuote,
} from "../../src/pricing/resolve";

const T0 = Date.parse("2026-12-01T00:00:00Z");
const T1 = Date.parse("2026-12-08T00:00:00Z");

function entry(
  priceListId: string,
  tiers: [number, number][],
  rule: PublishedEntry["rule"] = null,
): PublishedEntry {
  return { priceListId, tiers, rule };
}

function promo(overrides: Partial<PublishedPromotion>): PublishedPromotion {
  return {
    id: "promo-1",
    startsAt: T0,
    endsAt: T1,
    skus: null,
    companyIds: null,
    fixedUnitPrice: null,
    percentOffBasisPoints: null,
    ...overrides,
  };
}

function view(
  overrides: Partial<Omit<BookView, "prices">> & { prices?: Record<string, SkuPrices> } = {},
): BookView {
  return {
    version: 7,
    currency: "USD",
    contractListId: null,
    promotions: [],
    ...overrides,
    prices: new Map(Object.entries(overrides.prices ?? {})),
  };
}

const LIST = entry("list-usd", [
  [1, 1000],
  [10, 900],
  [100, 800],
]);

function line(
  v: BookView,
  quantity: number,
  options: { at?: number; companyId?: string; quotes?: Map<string, ContractQuote> } = {},
) {
  const cart = resolveCart(
    v,
    { at: options.at ?? T0, companyId: options.companyId ?? null, lines: [{ sku: "A", quantity }] },
    options.quotes,
  );
  const [first] = cart.lines;
  if (!first) throw new Error("no line");
  return first;
}

describe("resolveCart: tiers", () => {
  it.each([
    [1, "10.00", 1],
    [9, "10.00", 1],
    [10, "9.00", 10],
    [99, "9.00", 10],
    [100, "8.00", 100],
    [5000, "8.00", 100],
  ])("prices %i units at %s (tier from %i)", (quantity, unitPrice, tierMinQuantity) => {
    const result = line(view({ prices: { A: { list: LIST } } }), quantity);

    expect(result).toMatchObject({
      unitPrice,
      tierMinQuantity,
      source: "list",
      priceListId: "list-usd",
    });
    expect(result.lineTotal).toBe((Number(unitPrice) * quantity).toFixed(2));
  });
});

describe("resolveCart: contract, list, promo", () => {
  const prices = {
    A: {
      list: LIST,
      contracts: {
        "contract-1": entry("contract-1", [
          [1, 700],
          [50, 650],
        ]),
      },
    },
  };

  it("prices from the contract list before the list price", () => {
    const result = line(view({ prices, contractListId: "contract-1" }), 60);

    expect(result).toMatchObject({
      source: "contract",
      unitPrice: "6.50",
      priceListId: "contract-1",
      tierMinQuantity: 50,
    });
  });

  it("never applies a promotion to a contract price, even a lower one", () => {
    const cheap = promo({ fixedUnitPrice: 100 });
    const result = line(view({ prices, contractListId: "contract-1", promotions: [cheap] }), 1);

    expect(result).toMatchObject({ source: "contract", unitPrice: "7.00" });
    expect(result.promotionId).toBeUndefined();
  });

  it("falls to the list price when the buyer's contract list lacks the SKU", () => {
    const result = line(view({ prices, contractListId: "contract-other" }), 1);

    expect(result).toMatchObject({ source: "list", unitPrice: "10.00" });
  });

  it("applies the lowest active promotion below the list price", () => {
    const promotions = [
      promo({ id: "p-fixed", fixedUnitPrice: 950 }),
      promo({ id: "p-pct", percentOffBasisPoints: 1000 }),
    ];
    const result = line(view({ prices: { A: { list: LIST } }, promotions }), 1);

    expect(result).toMatchObject({
      source: "promo",
      unitPrice: "9.00",
      promotionId: "p-pct",
      priceListId: "list-usd",
    });
  });

  it("ignores a promotion priced above the list price", () => {
    const result = line(
      view({ prices: { A: { list: LIST } }, promotions: [promo({ fixedUnitPrice: 1200 })] }),
      1,
    );

    expect(result).toMatchObject({ source: "list", unitPrice: "10.00" });
  });

  it.each([
    ["one ms before the start", T0 - 1, "list"],
    ["at the start", T0, "promo"],
    ["one ms before the end", T1 - 1, "promo"],
    ["at the end", T1, "list"],
  ])("applies a promotion %s: %s", (_label, at, source) => {
    const result = line(
      view({ prices: { A: { list: LIST } }, promotions: [promo({ fixedUnitPrice: 500 })] }),
      1,
      { at },
    );

    expect(result.source).toBe(source);
  });

  it("applies a promotion scoped to SKUs and companies only to those", () => {
    const scoped = promo({ skus: ["A"], companyIds: ["42"], fixedUnitPrice: 500 });
    const v = view({ prices: { A: { list: LIST } }, promotions: [scoped] });

    expect(line(v, 1, { companyId: "42" }).source).toBe("promo");
    expect(line(v, 1, { companyId: "43" }).source).toBe("list");
    expect(line(v, 1).source).toBe("list");
    expect(
      line(
        view({
          prices: { A: { list: LIST } },
          promotions: [promo({ skus: ["B"], fixedUnitPrice: 500 })],
        }),
        1,
      ).source,
    ).toBe("list");
  });
});

describe("resolveCart: percent rounding, half away from zero", () => {
  it.each([
    ["USD", 99, 1500, "0.84"], // 0.8415
    ["USD", 10, 2500, "0.08"], // 0.075 rounds up
    ["USD", 1999, 3333, "13.33"], // 13.3273
    ["JPY", 999, 1500, "849"], // 849.15
    ["JPY", 150, 5000, "75"],
    ["JPY", 5, 5000, "3"], // 2.5 rounds up
    ["KWD", 1005, 5000, "0.503"], // 0.5025
    ["KWD", 1250, 1250, "1.094"], // 1.09375
  ])("%s %i minor units at %i bp off → %s", (currency, listMinor, basisPoints, expected) => {
    const v = view({
      currency,
      prices: { A: { list: entry("list", [[1, listMinor]]) } },
      promotions: [promo({ percentOffBasisPoints: basisPoints })],
    });

    expect(line(v, 1).unitPrice).toBe(expected);
  });
});

describe("resolveCart: missing prices and quantity rules", () => {
  it("marks a line without a price in the currency and still prices the rest", () => {
    const cart = resolveCart(view({ prices: { A: { list: LIST } } }), {
      at: T0,
      companyId: null,
      lines: [
        { sku: "A", quantity: 2 },
        { sku: "MISSING", quantity: 1 },
      ],
    });

    expect(cart.lines[1]).toMatchObject({
      sku: "MISSING",
      errors: ["no_price"],
      unitPrice: null,
      lineTotal: null,
      source: null,
      version: 7,
    });
    expect(cart).toMatchObject({ total: "20.00", pricedLines: 1, version: 7 });
  });

  it("prices nothing in a currency without a book", () => {
    const cart = resolveCart(view({ currency: "EUR" }), {
      at: T0,
      companyId: null,
      lines: [{ sku: "A", quantity: 1 }],
    });

    expect(cart).toMatchObject({ currency: "EUR", total: "0.00", pricedLines: 0 });
    expect(cart.lines[0]?.errors).toEqual(["no_price"]);
  });

  it.each([
    [4, ["below_minimum", "not_increment"]],
    [9, ["not_increment"]],
    [12, []],
    [48, []],
    [60, ["above_maximum"]],
  ])("checks %i units against minimum 6, maximum 48, increment 6: %j", (quantity, errors) => {
    const ruled = entry("list-usd", [[1, 1000]], { minimum: 6, maximum: 48, increment: 6 });
    const result = line(view({ prices: { A: { list: ruled } } }), quantity);

    expect(result.errors).toEqual(errors);
    expect(result.unitPrice).toBe("10.00");
  });

  it("checks the rules of the list that priced the line", () => {
    const prices = {
      A: {
        list: entry("list-usd", [[1, 1000]], { minimum: 10, maximum: null, increment: 1 }),
        contracts: { c: entry("c", [[1, 900]], { minimum: 1, maximum: null, increment: 1 }) },
      },
    };

    expect(line(view({ prices, contractListId: "c" }), 2).errors).toEqual([]);
    expect(line(view({ prices }), 2).errors).toEqual(["below_minimum"]);
  });
});

describe("chooseContractList", () => {
  const location = { priceListId: "loc-list", currency: "USD" };
  const company = { priceListId: "co-list", currency: "USD" };

  it("takes the location's list over the company's", () => {
    expect(chooseContractList(location, company, "USD")).toBe("loc-list");
  });

  it("takes the company's list when the location has none", () => {
    expect(chooseContractList(undefined, company, "USD")).toBe("co-list");
  });

  it("skips a list in another currency", () => {
    expect(chooseContractList({ priceListId: "loc-eur", currency: "EUR" }, company, "USD")).toBe(
      "co-list",
    );
    expect(chooseContractList(undefined, company, "EUR")).toBeNull();
  });
});

describe("real-time contract quotes", () => {
  const v = view({ prices: { A: { list: LIST } }, contractListId: "contract-1" });

  it("asks only for SKUs the contract list lacks", () => {
    const withContract = view({
      prices: {
        A: { list: LIST, contracts: { "contract-1": entry("contract-1", [[1, 1]]) } },
        B: { list: LIST },
      },
      contractListId: "contract-1",
    });

    expect(
      skusNeedingQuote(withContract, [
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 1 },
      ]),
    ).toEqual(["B"]);
    expect(skusNeedingQuote(view(), [{ sku: "A", quantity: 1 }])).toEqual([]);
  });

  it("prices a quoted SKU as contract", () => {
    const quotes = new Map<string, ContractQuote>([
      ["A", { kind: "price", entry: entry("contract-1", [[1, 555]]) }],
    ]);

    expect(line(v, 1, { quotes })).toMatchObject({ source: "contract", unitPrice: "5.55" });
  });

  it("flags the list price as fallback when the quote was unavailable", () => {
    const quotes = new Map<string, ContractQuote>([["A", { kind: "unavailable" }]]);

    expect(line(v, 1, { quotes })).toMatchObject({
      source: "fallback",
      unitPrice: "10.00",
      priceListId: "list-usd",
    });
  });

  it("uses the list price when the ERP has no contract price", () => {
    const quotes = new Map<string, ContractQuote>([["A", { kind: "none" }]]);

    expect(line(v, 1, { quotes })).toMatchObject({ source: "list" });
  });
});
