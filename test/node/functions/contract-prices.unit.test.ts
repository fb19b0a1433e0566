import { execute, Kind, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { cartLinesDiscountsGenerateFetch } from "../../../functions/contract-prices/src/fetch";
import { cartLinesDiscountsGenerateRun } from "../../../functions/contract-prices/src/run";
import { resolveCart } from "../../../src/pricing/resolve";
import { CONFIGURATION, fetchInput, runInput } from "./contract-prices-samples";
import { loadFunctionSchema, readFunctionFile, resultProblems } from "./functions-schema";
import { hubRequestOf } from "./hub-request";

const VERSION = "2026-10";
const schema = loadFunctionSchema("discount", VERSION);
const queries = {
  fetch: readFunctionFile("functions/contract-prices/src/fetch.graphql"),
  run: readFunctionFile("functions/contract-prices/src/run.graphql"),
};

/** Runs an input query over a sample input, as Shopify builds the input from the cart. */
function selectedBy(query: string, sample: object) {
  return execute({
    schema,
    document: parse(query),
    rootValue: sample,
    // The sample is keyed by response key (aliases included), as Shopify hands it over.
    fieldResolver: (source: Record<string, unknown>, _args, _context, info) =>
      source[info.path.key],
  });
}

describe(`contract-prices input queries against the Discount Function API ${VERSION}`, () => {
  it.each(Object.entries(queries))("%s.graphql validates", (_name, query) => {
    expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
  });

  it("rejects a query selecting a field the schema lacks, so the check is not vacuous", () => {
    const wrong = queries.run.replace("amountPerQuantity", "amountPerUnit");

    expect(validate(schema, parse(wrong)).map((error) => error.message)).toEqual([
      expect.stringContaining('Cannot query field "amountPerUnit" on type "CartLineCost"'),
    ]);
  });

  it("asks for fetchResult only in the run target, where Shopify provides it", () => {
    const fields = (query: string) => {
      const [operation] = parse(query).definitions;
      return operation?.kind === Kind.OPERATION_DEFINITION
        ? operation.selectionSet.selections.flatMap((s) =>
            s.kind === Kind.FIELD ? [s.name.value] : [],
          )
        : [];
    };

    expect(fields(queries.fetch)).not.toContain("fetchResult");
    expect(fields(queries.run)).toContain("fetchResult");
  });

  it.each([
    ["fetch", queries.fetch, fetchInput()],
    ["run", queries.run, runInput({ lines: [] })],
  ])("the %s sample input is exactly what its query selects", async (_name, query, sample) => {
    const result = await selectedBy(query, sample);

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(sample);
  });
});

describe("cartLinesDiscountsGenerateFetch", () => {
  it("builds the hub request from the cart's variant lines and the buyer's company", () => {
    const result = cartLinesDiscountsGenerateFetch(fetchInput());

    expect(result).toEqual({
      request: {
        method: "POST",
        url: "https://hub.example.com/v1/functions/discount-prices",
        headers: [
          { name: "Authorization", value: "Bearer function-secret-0123456789abcdef" },
          { name: "Accept", value: "application/json" },
        ],
        jsonBody: {
          shop: "test-shop.myshopify.com",
          currency: "USD",
          companyId: "gid://shopify/Company/100",
          companyLocationId: "gid://shopify/CompanyLocation/1001",
          lines: [
            { id: "gid://shopify/CartLine/1", sku: "SKU-A", quantity: 3 },
            { id: "gid://shopify/CartLine/2", sku: "SKU-B", quantity: 1 },
          ],
        },
        policy: { readTimeoutMs: 1500 },
      },
    });
    expect(resultProblems(schema, "CartLinesDiscountsGenerateFetchResult", result)).toEqual([]);
  });

  it("sends a body the hub's endpoint accepts", () => {
    const { request } = cartLinesDiscountsGenerateFetch(fetchInput());

    expect(hubRequestOf(request).success).toBe(true);
  });

  it("sends at most 250 lines, the hub's maximum", () => {
    const lines = Array.from({ length: 300 }, (_, index) => ({
      id: `gid://shopify/CartLine/${index}`,
      quantity: 1,
      merchandise: { __typename: "ProductVariant" as const, sku: `SKU-${index}` },
    }));
    const { request } = cartLinesDiscountsGenerateFetch(fetchInput({ lines }));

    expect(hubRequestOf(request).data.lines).toHaveLength(250);
  });

  it("leaves out SKUs the hub would refuse", () => {
    const lines = [
      {
        id: "gid://shopify/CartLine/9",
        quantity: 1,
        merchandise: { __typename: "ProductVariant" as const, sku: "has space" },
      },
      {
        id: "gid://shopify/CartLine/1",
        quantity: 2,
        merchandise: { __typename: "ProductVariant" as const, sku: "SKU-A" },
      },
    ];
    const { request } = cartLinesDiscountsGenerateFetch(fetchInput({ lines }));

    expect(hubRequestOf(request).data.lines.map((l) => l.sku)).toEqual(["SKU-A"]);
  });

  it.each([
    ["a buyer without a company", fetchInput({ buyerIdentity: { purchasingCompany: null } })],
    ["an anonymous buyer", fetchInput({ buyerIdentity: null })],
    ["a cart without variant SKUs", fetchInput({ lines: [] })],
    [
      "a discount without configuration",
      { ...fetchInput(), discount: { discountClasses: ["PRODUCT" as const], configuration: null } },
    ],
    [
      "a configuration with a plain-http hub",
      {
        ...fetchInput(),
        discount: {
          discountClasses: ["PRODUCT" as const],
          configuration: {
            jsonValue: { ...CONFIGURATION.jsonValue, hubUrl: "http://hub.example.com" },
          },
        },
      },
    ],
    [
      "a discount without the product class",
      {
        ...fetchInput(),
        discount: { discountClasses: ["ORDER" as const], configuration: CONFIGURATION },
      },
    ],
  ])("asks nothing for %s", (_case, input) => {
    const result = cartLinesDiscountsGenerateFetch(input);

    expect(result).toEqual({ request: null });
    expect(resultProblems(schema, "CartLinesDiscountsGenerateFetchResult", result)).toEqual([]);
  });
});

const contractAnswer = {
  currency: "USD",
  version: 4,
  lines: [
    {
      id: "gid://shopify/CartLine/1",
      sku: "SKU-A",
      quantity: 3,
      currency: "USD",
      unitPrice: "7.50",
      source: "contract",
    },
    {
      id: "gid://shopify/CartLine/2",
      sku: "SKU-B",
      quantity: 1,
      currency: "USD",
      unitPrice: "4.00",
      source: "list",
    },
  ],
  total: "26.50",
};

describe("cartLinesDiscountsGenerateRun", () => {
  it("takes each contract-priced line down to its contract price, per unit", () => {
    const result = cartLinesDiscountsGenerateRun(runInput(contractAnswer));

    expect(result).toEqual({
      operations: [
        {
          productDiscountsAdd: {
            selectionStrategy: "ALL",
            candidates: [
              {
                targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }],
                value: { fixedAmount: { amount: "2.50", appliesToEachItem: true } },
                message: "Your contract price",
              },
            ],
          },
        },
      ],
    });
    expect(resultProblems(schema, "CartLinesDiscountsGenerateRunResult", result)).toEqual([]);
  });

  it.each([
    ["a contract price at or above the current price", { unitPrice: "10.00" }],
    ["a quantity other than the cart's", { quantity: 4 }],
    ["another currency", { currency: "EUR" }],
    ["a line id not in the cart", { id: "gid://shopify/CartLine/99" }],
    ["the ERP fallback", { source: "fallback" }],
    ["no price", { unitPrice: null, source: null }],
  ])("gives no discount for %s", (_case, change) => {
    const [first] = contractAnswer.lines;
    const answer = { ...contractAnswer, lines: [{ ...first, ...change }] };

    expect(cartLinesDiscountsGenerateRun(runInput(answer))).toEqual({ operations: [] });
  });

  it.each([
    ["a 401", runInput({ type: "about:blank", reason: "invalid_function_secret" }, 401)],
    ["a body that is not the hub's", runInput("<html>bad gateway</html>")],
    ["no fetch result", { ...runInput(contractAnswer), fetchResult: null }],
  ])("gives no discount after %s", (_case, input) => {
    const result = cartLinesDiscountsGenerateRun(input);

    expect(result).toEqual({ operations: [] });
    expect(resultProblems(schema, "CartLinesDiscountsGenerateRunResult", result)).toEqual([]);
  });
});

describe("the result validator", () => {
  it.each([
    [
      { operations: [{ productDiscountsAdd: { selectionStrategy: "EVERY", candidates: [] } }] },
      "EVERY",
    ],
    [{ operations: [{ productDiscountsAdd: { candidates: [] } }] }, "selectionStrategy"],
    [
      {
        operations: [
          {
            productDiscountsAdd: {
              selectionStrategy: "ALL",
              candidates: [{ targets: [], value: { fixedAmount: { amount: "2,50" } } }],
            },
          },
        ],
      },
      "Decimal",
    ],
  ])("finds the problem in a wrong result (%#)", (result, problem) => {
    expect(
      resultProblems(schema, "CartLinesDiscountsGenerateRunResult", result).join("\n"),
    ).toContain(problem);
  });
});

describe("fetch → hub resolver → run", () => {
  it("discounts to the prices the hub's own resolver gives for the fetched request", () => {
    const { request } = cartLinesDiscountsGenerateFetch(fetchInput());
    const priced = hubRequestOf(request).data;
    // The published book as the hub reads it from KV: a list price and a location contract.
    const cart = resolveCart(
      {
        version: 7,
        currency: "USD",
        contractListId: "contract-acme-dc",
        prices: new Map([
          [
            "SKU-A",
            {
              list: { priceListId: "list-usd", tiers: [[1, 1000]], rule: null },
              contracts: {
                "contract-acme-dc": {
                  priceListId: "contract-acme-dc",
                  tiers: [
                    [1, 800],
                    [3, 725],
                  ],
                  rule: null,
                },
              },
            },
          ],
          ["SKU-B", { list: { priceListId: "list-usd", tiers: [[1, 450]], rule: null } }],
        ]),
        promotions: [],
      },
      {
        at: Date.parse("2026-12-01T12:00:00Z"),
        companyId: priced.companyId ?? null,
        lines: priced.lines,
      },
    );
    // Shaped as POST /v1/functions/discount-prices answers: each line with its cart line id.
    const answer = {
      currency: cart.currency,
      version: cart.version,
      lines: cart.lines.map((line, index) => ({ id: priced.lines[index]?.id ?? null, ...line })),
      total: cart.total,
    };

    const result = cartLinesDiscountsGenerateRun(runInput(JSON.parse(JSON.stringify(answer))));

    expect(result.operations[0]?.productDiscountsAdd.candidates).toEqual([
      {
        targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }],
        value: { fixedAmount: { amount: "2.75", appliesToEachItem: true } },
        message: "Your contract price",
      },
    ]);
    expect(resultProblems(schema, "CartLinesDiscountsGenerateRunResult", result)).toEqual([]);
  });
});
