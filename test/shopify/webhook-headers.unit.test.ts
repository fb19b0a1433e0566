import { describe, expect, it } from "vitest";
import { parseWebhookHeaders } from "../../src/shopify/webhook-headers";

const valid: Record<string, string> = {
  "x-shopify-topic": "orders/create",
  "x-shopify-shop-domain": "test-shop.myshopify.com",
  "x-shopify-api-version": "2026-10",
  "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
  "x-shopify-event-id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
  "x-shopify-triggered-at": "2026-12-01T10:00:00.123456789Z",
};

describe("parseWebhookHeaders", () => {
  it("accepts Shopify's headers, with the name optional", () => {
    const check = parseWebhookHeaders((name) => valid[name]);
    expect(check).toEqual({ ok: true, headers: valid });
  });

  it("lists every missing header and every invalid one", () => {
    const headers: Record<string, string> = {
      ...valid,
      "x-shopify-shop-domain": "Shop.Example.com",
    };
    delete headers["x-shopify-topic"];
    delete headers["x-shopify-event-id"];
    const check = parseWebhookHeaders((name) => headers[name]);

    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.missing).toEqual(["x-shopify-topic", "x-shopify-event-id"]);
    expect(check.invalid).toHaveLength(1);
    expect(check.invalid[0]).toContain("x-shopify-shop-domain");
  });
});
