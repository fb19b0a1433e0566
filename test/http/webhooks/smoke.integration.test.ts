import { describe, expect, it } from "vitest";
import { deliver } from "../../support/webhooks";

describe("POST /webhooks/shopify", () => {
  it("enqueues a signed compliance webhook", async () => {
    const response = await deliver({
      shop_domain: "test-shop.myshopify.com",
      customer: { id: 1 },
      orders_to_redact: [],
    });
    expect(response.status).toBe(202);
  });
});
