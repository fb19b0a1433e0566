import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndPublish, BASE_BOOK } from "../../support/pricing";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";

let sandbox: SandboxHandle;

const SECRET = "function-secret-0123456789abcdef";

function call(body: unknown, secret: string | null = SECRET) {
  return exports.default.fetch(
    new Request("https://hub.test/v1/functions/discount-prices", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
}

// What the reference discount Function's fetch target puts in HttpRequest.jsonBody.
const body = {
  shop: "test-shop.myshopify.com",
  currency: "USD",
  companyId: "gid://shopify/Company/100",
  companyLocationId: "gid://shopify/CompanyLocation/1001",
  at: "2026-12-01T12:00:00Z",
  lines: [
    { id: "gid://shopify/CartLine/1", sku: "SKU-A", quantity: 3 },
    { id: "gid://shopify/CartLine/2", sku: "SKU-B", quantity: 1 },
    { id: "gid://shopify/CartLine/3", sku: "NOPE", quantity: 1 },
  ],
};

afterAll(() => sandbox.restore());

beforeAll(async () => {
  sandbox = installSandbox();
  await applyAndPublish("test-shop.myshopify.com", BASE_BOOK);
});

describe("POST /v1/functions/discount-prices", () => {
  it("answers each cart line by id with its resolved price", async () => {
    const response = await call(body);
    const answer = (await response.json()) as { lines: unknown[]; version: number };

    expect(response.status).toBe(200);
    expect(answer).toMatchObject({
      currency: "USD",
      total: "27.00",
      lines: [
        {
          id: "gid://shopify/CartLine/1",
          sku: "SKU-A",
          unitPrice: "7.50",
          source: "contract",
          priceListId: "contract-acme-dc",
        },
        { id: "gid://shopify/CartLine/2", sku: "SKU-B", unitPrice: "4.50", source: "list" },
        { id: "gid://shopify/CartLine/3", sku: "NOPE", unitPrice: null, errors: ["no_price"] },
      ],
    });
    expect(answer.version).toBeGreaterThan(0);
  });

  it("answers identical requests with identical bytes", async () => {
    const [first, second] = await Promise.all([call(body), call(body)]);

    expect(await first.text()).toBe(await second.text());
  });

  it.each([[null], ["wrong-secret-0123456789abcdef0"]])(
    "refuses secret %s with 401",
    async (secret) => {
      const response = await call(body, secret);

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ reason: "invalid_function_secret" });
    },
  );

  it("answers 400 naming the field for a line without an id", async () => {
    const response = await call({ ...body, lines: [{ sku: "SKU-A", quantity: 1 }] });
    const problem = (await response.json()) as { errors: { field: string }[] };

    expect(response.status).toBe(400);
    expect(problem.errors[0]?.field).toBe("lines.0.id");
  });
});
