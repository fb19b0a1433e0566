import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartLinesDiscountsGenerateFetch } from "../../functions/contract-prices/src/fetch";
import { cartLinesDiscountsGenerateRun } from "../../functions/contract-prices/src/run";
import type { FetchInput, HttpRequest, RunInput } from "../../functions/contract-prices/src/types";
import { applyAndPublish, BASE_BOOK } from "../support/pricing";
import { installSandbox, type SandboxHandle } from "../support/sandbox";

let sandbox: SandboxHandle;

const configuration = {
  jsonValue: {
    hubUrl: "https://hub.test",
    shop: "test-shop.myshopify.com",
    secret: "function-secret-0123456789abcdef",
  },
};

const variant = (sku: string) => ({ __typename: "ProductVariant" as const, sku });

const fetchInput: FetchInput = {
  discount: { discountClasses: ["PRODUCT"], configuration },
  cart: {
    cost: { subtotalAmount: { currencyCode: "USD" } },
    buyerIdentity: {
      purchasingCompany: {
        company: { id: "gid://shopify/Company/100" },
        location: { id: "gid://shopify/CompanyLocation/1001" },
      },
    },
    lines: [
      { id: "gid://shopify/CartLine/1", quantity: 3, merchandise: variant("SKU-A") },
      { id: "gid://shopify/CartLine/2", quantity: 1, merchandise: variant("SKU-B") },
    ],
  },
};

const cartCosts: RunInput["cart"] = {
  lines: [
    {
      id: "gid://shopify/CartLine/1",
      quantity: 3,
      cost: { amountPerQuantity: { amount: "10.0", currencyCode: "USD" } },
    },
    {
      id: "gid://shopify/CartLine/2",
      quantity: 1,
      cost: { amountPerQuantity: { amount: "4.5", currencyCode: "USD" } },
    },
  ],
};

/** Sends the fetch target's HttpRequest to the hub as Shopify would; returns the fetchResult. */
async function send(request: HttpRequest): Promise<RunInput["fetchResult"]> {
  const response = await exports.default.fetch(
    new Request(request.url, {
      method: request.method,
      headers: [
        ["content-type", "application/json"],
        ...request.headers.map(({ name, value }): [string, string] => [name, value]),
      ],
      body: JSON.stringify(request.jsonBody),
    }),
  );
  return { status: response.status, jsonBody: await response.json() };
}

afterAll(() => sandbox.restore());

beforeAll(async () => {
  sandbox = installSandbox();
  await applyAndPublish("test-shop.myshopify.com", BASE_BOOK);
});

describe("the contract-prices Function against POST /v1/functions/discount-prices", () => {
  it("discounts the location's contract-priced line to its contract price", async () => {
    const { request } = cartLinesDiscountsGenerateFetch(fetchInput);
    if (!request) throw new Error("the fetch target built no request");

    const fetchResult = await send(request);
    const result = cartLinesDiscountsGenerateRun({
      fetchResult,
      discount: fetchInput.discount,
      cart: cartCosts,
    });

    expect(fetchResult?.status).toBe(200);
    // contract-acme-dc prices SKU-A at 7.50 for location 1001; SKU-B has only a list price.
    expect(result.operations).toEqual([
      {
        productDiscountsAdd: {
          selectionStrategy: "ALL",
          candidates: [
            {
              targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }],
              value: { fixedAmount: { amount: "2.50", appliesToEachItem: true } },
              message: "Contract price",
            },
          ],
        },
      },
    ]);
  });

  it("discounts nothing when the hub refuses the secret", async () => {
    const wrong = {
      jsonValue: { ...configuration.jsonValue, secret: "not-the-secret-0123456789" },
    };
    const input = { ...fetchInput, discount: { ...fetchInput.discount, configuration: wrong } };
    const { request } = cartLinesDiscountsGenerateFetch(input);
    if (!request) throw new Error("the fetch target built no request");

    const fetchResult = await send(request);
    const result = cartLinesDiscountsGenerateRun({
      fetchResult,
      discount: input.discount,
      cart: cartCosts,
    });

    expect(fetchResult?.status).toBe(401);
    expect(result).toEqual({ operations: [] });
  });
});
