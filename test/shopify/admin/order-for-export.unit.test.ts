import { describe, expect, it } from "vitest";
import b2bOrder from "../../../samples/webhooks/orders-create-b2b.json";
import d2cOrder from "../../../samples/webhooks/orders-create-d2c.json";
import { graphqlOrder } from "../../../sandbox/shopify/order-details";
import { toCanonicalOrder } from "../../../src/orders/canonical";
import { ShopifyOrderPayloadSchema } from "../../../src/orders/shopify-payload";
import { toWebhookOrderPayload } from "../../../src/shopify/admin/order-for-export";
import { GraphqlOrderSchema } from "../../../src/shopify/admin/order-for-export-schema";

const source = {
  shop: "test-shop.myshopify.com",
  topic: "orders/create",
  apiVersion: "2026-10",
  webhookId: "w",
  eventId: "e",
  traceId: "t",
};

/** The sample as the Admin API would return it for OrderForExport (via the stand-in). */
function asGraphql(sample: Record<string, unknown>) {
  const id = String(sample.id);
  const { order, lines } = graphqlOrder({
    id: `gid://shopify/Order/${id}`,
    legacyResourceId: id,
    name: String(sample.name),
    updatedAt: String(sample.updated_at),
    tags: String(sample.tags)
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    metafields: {},
    payload: sample,
  });
  return GraphqlOrderSchema.parse({
    ...order,
    lineItems: { nodes: lines, pageInfo: { hasNextPage: false, endCursor: null } },
  });
}

describe("toWebhookOrderPayload", () => {
  it.each([
    ["a B2B order on payment terms", b2bOrder],
    ["a D2C order in another presentment currency", d2cOrder],
  ])("rebuilds %s as the webhook's canonical order", (_case, sample) => {
    const rebuilt = ShopifyOrderPayloadSchema.parse(toWebhookOrderPayload(asGraphql(sample)));
    const delivered = ShopifyOrderPayloadSchema.parse(sample);

    expect(toCanonicalOrder(rebuilt, source)).toEqual(toCanonicalOrder(delivered, source));
  });

  it("spells enums and ids the way REST does", () => {
    const graphql = asGraphql(b2bOrder);
    const payload = toWebhookOrderPayload({
      ...graphql,
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      displayFulfillmentStatus: "PARTIALLY_FULFILLED",
      cancelReason: "CUSTOMER",
    });

    expect(payload).toMatchObject({
      id: "6401928374650",
      financial_status: "partially_refunded",
      fulfillment_status: "partial",
      cancel_reason: "customer",
      company: { id: "2311110001", location_id: "3411110001" },
      payment_terms: { payment_terms_type: "net" },
      discount_codes: [{ code: "TRADE-Q4", amount: "163.10", type: "percentage" }],
    });
    expect(payload.line_items[0]).toMatchObject({
      id: "16010000001001",
      variant_id: "49120000010101",
    });
  });

  it("refuses a GID without a numeric id", () => {
    const graphql = asGraphql(b2bOrder);
    const [line] = graphql.lineItems.nodes;
    if (!line) throw new Error("sample has lines");

    expect(() =>
      toWebhookOrderPayload(graphql, [{ ...line, id: "gid://shopify/LineItem/x" }]),
    ).toThrow(/not a numeric Shopify GID/);
  });
});
