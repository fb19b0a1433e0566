import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndPublish, BASE_BOOK } from "../../support/pricing";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";

let sandbox: SandboxHandle;

const KEY = "pricing-key-test-shop-0123456789";

function resolve(body: unknown, key: string | null = KEY) {
  return exports.default.fetch(
    new Request("https://hub.test/v1/prices/resolve", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
}

const cart = (overrides: Record<string, unknown> = {}) => ({
  shop: "test-shop.myshopify.com",
  currency: "USD",
  lines: [
    { sku: "SKU-A", quantity: 10 },
    { sku: "SKU-B", quantity: 2 },
  ],
  ...overrides,
});

afterAll(() => sandbox.restore());

beforeAll(async () => {
  sandbox = installSandbox();
  await applyAndPublish("test-shop.myshopify.com", BASE_BOOK);
});

describe("POST /v1/prices/resolve", () => {
  it("resolves a cart for a company buyer", async () => {
    const response = await resolve(cart({ companyId: "gid://shopify/Company/100" }));
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      shop: "test-shop.myshopify.com",
      currency: "USD",
      total: "89.00",
      pricedLines: 2,
      buyer: { companyId: "100", companyLocationId: null },
      lines: [
        {
          sku: "SKU-A",
          quantity: 10,
          unitPrice: "8.00",
          lineTotal: "80.00",
          source: "contract",
          priceListId: "contract-acme",
          tierMinQuantity: 1,
          errors: [],
        },
        {
          sku: "SKU-B",
          quantity: 2,
          unitPrice: "4.50",
          lineTotal: "9.00",
          source: "list",
          priceListId: "list-usd",
          tierMinQuantity: 1,
          errors: [],
        },
      ],
    });
  });

  it.each([
    [null, 401, "missing_api_key"],
    ["not-a-real-key-0123456789abcdef", 401, "invalid_api_key"],
  ])("refuses key %s with %i %s", async (key, status, reason) => {
    const response = await resolve(cart(), key);

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("refuses a shop outside the key's scope", async () => {
    const response = await resolve(cart({ shop: "other-shop.myshopify.com" }));

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "shop_not_allowed" });
  });

  it.each([
    ["a fractional quantity", { lines: [{ sku: "SKU-A", quantity: 1.5 }] }, "lines.0.quantity"],
    ["a zero quantity", { lines: [{ sku: "SKU-A", quantity: 0 }] }, "lines.0.quantity"],
    ["an unknown currency", { currency: "XYZ" }, "currency"],
    ["a malformed SKU", { lines: [{ sku: "bad sku,1", quantity: 1 }] }, "lines.0.sku"],
    [
      "too many lines",
      { lines: Array.from({ length: 251 }, () => ({ sku: "SKU-A", quantity: 1 })) },
      "lines",
    ],
    ["no lines", { lines: [] }, "lines"],
  ])("answers 400 naming the field for %s", async (_label, overrides, field) => {
    const response = await resolve(cart(overrides));
    const body = (await response.json()) as { reason: string; errors: { field: string }[] };

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(body.reason).toBe("invalid_request");
    expect(body.errors.map((error) => error.field)).toContain(field);
  });
});
