import { describe, expect, it } from "vitest";
import { MoneyFormatError, sumAmounts } from "../../src/domain/money";
import type { CanonicalOrder } from "../../src/orders/canonical";
import { ShopifyOrderPayloadSchema } from "../../src/orders/shopify-payload";
import { buildSource, canonicalRefundSample, canonicalSample, rawSamples } from "./sample-orders";

function lineTaxes(order: CanonicalOrder): string[] {
  return [...order.lines, ...order.shippingLines].flatMap((line) =>
    line.taxes.map((tax) => tax.amount),
  );
}

describe("toCanonicalOrder on the B2B sample (#1001)", () => {
  const order = canonicalSample(rawSamples.b2b());

  it("keeps the order's identity and source", () => {
    expect(order).toMatchObject({
      schemaVersion: 1,
      orderId: "6401928374650",
      gid: "gid://shopify/Order/6401928374650",
      name: "#1001",
      source: buildSource(),
      createdAt: "2026-12-01T10:14:03-05:00",
      updatedAt: "2026-12-01T10:14:05-05:00",
      processedAt: "2026-12-01T10:14:03-05:00",
      cancelledAt: null,
      cancelReason: null,
      test: false,
      currency: "USD",
      presentmentCurrency: "USD",
      financialStatus: "pending",
      fulfillmentStatus: null,
      tags: ["B2B", "net-30"],
    });
  });

  it("names the company location as the buyer, with its PO number and Net 30 terms", () => {
    expect(order.purchasingEntity).toBe("company");
    expect(order.b2b).toEqual({
      companyId: "2311110001",
      companyLocationId: "3411110001",
      poNumber: "PO-NW-24117",
      paymentTerms: {
        name: "Net 30",
        type: "net",
        dueInDays: 30,
        dueAt: "2026-12-31T10:14:03-05:00",
      },
    });
  });

  it("keeps the contact who placed it as the customer", () => {
    expect(order.customer).toEqual({
      customerId: "8123450001001",
      email: "dana.whitfield@example.com",
      phone: "+16145550142",
      name: "Dana Whitfield",
    });
    expect(order.email).toBe("dana.whitfield@example.com");
    expect(order.phone).toBeNull();
  });

  it("maps separate billing and shipping addresses", () => {
    expect(order.billingAddress).toEqual({
      name: "Accounts Payable",
      company: "Northwind Hardware Supply",
      address1: "1200 Example Industrial Pkwy",
      address2: "Attn: Accounts Payable",
      city: "Columbus",
      province: "Ohio",
      provinceCode: "OH",
      postalCode: "43215",
      country: "United States",
      countryCode: "US",
      phone: "+16145550100",
    });
    expect(order.shippingAddress).toMatchObject({ name: "Dana Whitfield", address2: "Dock 3" });
    expect(order.note).toBe(
      "Deliver to dock 3 between 7:00 and 15:00; call 30 minutes before arrival.",
    );
    expect(order.browserIp).toBe("198.51.100.23");
  });

  it.each([
    ["16010000001001", "HB-M8-40-ZN-100", 40, "24.50", "98.00", "882.00"],
    ["16010000001002", "FW-M8-A2-500", 12, "18.00", "21.60", "194.40"],
    ["16010000001003", "NLN-M8-ZN-250", 20, "21.75", "43.50", "391.50"],
    ["16010000001004", "TL-ID18-BARE", 2, "149.00", "0.00", "298.00"],
  ])(
    "nets line %s (%s): %i × %s − %s = %s",
    (lineId, sku, quantity, unitPrice, discount, netTotal) => {
      const line = order.lines.find((candidate) => candidate.lineId === lineId);
      expect(line).toMatchObject({ sku, quantity, unitPrice, discount, netTotal });
    },
  );

  it("carries each line's Ohio state and county taxes", () => {
    expect(order.lines[0]?.taxes).toEqual([
      { title: "Ohio State Tax", rate: 0.0575, amount: "50.72" },
      { title: "Franklin County Tax", rate: 0.0175, amount: "15.44" },
    ]);
    expect(order.lines[0]).toMatchObject({
      variantId: "49120000010101",
      productId: "9012345600101",
      title: "Hex Bolt M8 × 40 mm, zinc plated",
      variantTitle: "Box of 100",
      requiresShipping: true,
      taxable: true,
    });
  });

  it("maps the LTL freight line and the trade discount code", () => {
    expect(order.shippingLines).toEqual([
      { code: "LTL Freight", title: "LTL freight (3–5 business days)", price: "85.00", taxes: [] },
    ]);
    expect(order.discountCodes).toEqual([
      { code: "TRADE-Q4", amount: "163.10", type: "percentage" },
    ]);
  });

  it("has totals that agree with its parts to the cent", () => {
    expect(order.totals).toEqual({
      subtotal: "1765.90",
      discounts: "163.10",
      shipping: "85.00",
      tax: "132.46",
      total: "1983.36",
      outstanding: "1983.36",
      taxesIncluded: false,
    });
    expect(
      sumAmounts(
        order.lines.map((line) => line.netTotal),
        "USD",
      ),
    ).toBe("1765.90");
    expect(
      sumAmounts(
        order.lines.map((line) => line.discount),
        "USD",
      ),
    ).toBe("163.10");
    expect(sumAmounts(lineTaxes(order), "USD")).toBe("132.46");
    expect(sumAmounts(["1765.90", "85.00", "132.46"], "USD")).toBe(order.totals.total);
  });
});

describe("toCanonicalOrder on the D2C sample (#1002)", () => {
  const order = canonicalSample(rawSamples.d2c());

  it("names the customer as the buyer and has no B2B part", () => {
    expect(order).toMatchObject({
      orderId: "6401930111202",
      name: "#1002",
      purchasingEntity: "customer",
      b2b: null,
      financialStatus: "paid",
      customer: { customerId: "8123450002002", name: "Riley Chen", phone: "+14165550187" },
      tags: [],
    });
  });

  it("keeps amounts in the USD shop currency and names CAD as the presentment currency", () => {
    expect(order.currency).toBe("USD");
    expect(order.presentmentCurrency).toBe("CAD");
    expect(order.lines.map((line) => [line.sku, line.netTotal])).toEqual([
      ["TL-ID18-BARE", "148.91"],
      ["HB-M8-40-ZN-100", "48.90"],
    ]);
    expect(order.shippingLines).toEqual([
      {
        code: "Standard",
        title: "Standard (4–7 business days)",
        price: "10.95",
        taxes: [{ title: "HST", rate: 0.13, amount: "1.42" }],
      },
    ]);
    expect(order.totals).toMatchObject({
      subtotal: "197.81",
      shipping: "10.95",
      tax: "27.14",
      total: "235.90",
      outstanding: "0.00",
    });
    expect(sumAmounts(lineTaxes(order), "USD")).toBe("27.14");
  });
});

describe("toCanonicalOrder on later versions of #1001", () => {
  it("keeps lines as ordered on the cancelled order, not its zeroed current quantities", () => {
    const order = canonicalSample(
      rawSamples.cancelled(),
      buildSource({ topic: "orders/cancelled" }),
    );

    expect(order).toMatchObject({ cancelReason: "customer", financialStatus: "voided" });
    expect(order.cancelledAt).not.toBeNull();
    expect(order.lines.map((line) => [line.quantity, line.netTotal])).toEqual([
      [40, "882.00"],
      [12, "194.40"],
      [20, "391.50"],
      [2, "298.00"],
    ]);
    expect(
      sumAmounts(
        order.lines.map((line) => line.netTotal),
        "USD",
      ),
    ).toBe(order.totals.subtotal);
  });

  it("sums shipping lines when the payload has no shipping total", () => {
    const raw: Record<string, unknown> = rawSamples.b2b();
    delete raw.total_shipping_price_set;

    expect(canonicalSample(raw).totals.shipping).toBe("85.00");
  });
});

describe("toCanonicalOrder never forwards what must stay in the hub", () => {
  const cardCanaries = {
    payment_details: {
      credit_card_bin: "457173",
      credit_card_number: "•••• •••• •••• 7319",
      credit_card_company: "CanaryCard",
      credit_card_name: "Canary Cardholder",
    },
    credit_card_number: "•••• 9999",
    credit_card_company: "CanaryCardTop",
    gateway_receipt: "canary-receipt-0001",
  };

  it.each([
    ["B2B", rawSamples.b2b()],
    ["D2C", rawSamples.d2c()],
  ])("leaves out card data, status URL, tokens and the user agent of the %s sample", (_, raw) => {
    const json = JSON.stringify(canonicalSample({ ...raw, ...cardCanaries }));
    const secrets = [
      raw.order_status_url,
      raw.token,
      raw.cart_token,
      raw.checkout_token,
      raw.client_details.user_agent,
      "457173",
      "•••• •••• •••• 7319",
      "•••• 9999",
      "CanaryCard",
      "Canary Cardholder",
      "canary-receipt-0001",
    ].filter((value): value is string => typeof value === "string");

    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) expect(json).not.toContain(secret);
    for (const key of ["payment_details", "credit_card", "order_status_url", "token", "checkout"]) {
      expect(json).not.toContain(key);
    }
    expect(json).not.toContain("Mozilla");
  });
});

describe("ShopifyOrderPayloadSchema", () => {
  it.each([
    "id",
    "admin_graphql_api_id",
    "name",
    "created_at",
    "updated_at",
    "currency",
    "line_items",
    "subtotal_price",
    "total_price",
  ])("rejects a payload without %s", (field) => {
    const raw: Record<string, unknown> = rawSamples.b2b();
    delete raw[field];

    const parsed = ShopifyOrderPayloadSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path[0])).toContain(field);
  });

  it("rejects a line without a price", () => {
    const raw = rawSamples.b2b();
    const [first, ...rest] = raw.line_items;
    const { price: _price, ...withoutPrice } = first ?? { price: "" };

    const parsed = ShopifyOrderPayloadSchema.safeParse({
      ...raw,
      line_items: [withoutPrice, ...rest],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["line_items", 0, "price"]);
  });

  it("rejects an id that is not a number", () => {
    expect(ShopifyOrderPayloadSchema.safeParse({ ...rawSamples.b2b(), id: "abc" }).success).toBe(
      false,
    );
  });

  it("reads numeric ids and amounts as strings", () => {
    const parsed = ShopifyOrderPayloadSchema.parse({ ...rawSamples.b2b(), total_price: 1983.36 });
    expect(parsed.id).toBe("6401928374650");
    expect(parsed.total_price).toBe("1983.36");
  });
});

describe("toCanonicalOrder with bad money", () => {
  it.each([
    ["a price with a fraction of a cent", { subtotal_price: "1765.905" }],
    ["a malformed total", { total_price: "1,983.36" }],
    ["an unknown currency code", { currency: "usd" }],
  ])("throws MoneyFormatError for %s", (_, change) => {
    expect(() => canonicalSample({ ...rawSamples.b2b(), ...change })).toThrow(MoneyFormatError);
  });
});

describe("toCanonicalRefund on the refund sample", () => {
  const refund = canonicalRefundSample();

  it("maps the returned bolts in shop money and the CAD refund transaction", () => {
    expect(refund).toEqual({
      refundId: "1050000002001",
      orderId: "6401930111202",
      createdAt: "2026-12-08T14:31:52-05:00",
      processedAt: "2026-12-08T14:31:52-05:00",
      restock: true,
      currency: "CAD",
      shopCurrency: "USD",
      amount: "75.71",
      lines: [
        {
          lineId: "16010000002002",
          sku: "HB-M8-40-ZN-100",
          quantity: 2,
          restockType: "return",
          subtotal: "48.90",
          tax: "6.36",
        },
      ],
      transactions: [
        {
          transactionId: "7710000002003",
          kind: "refund",
          status: "success",
          amount: "75.71",
          currency: "CAD",
          gateway: "shopify_payments",
        },
      ],
    });
  });

  it("counts only successful refund transactions in the amount", () => {
    const raw = rawSamples.refund();
    const [transaction] = raw.transactions;
    if (!transaction) throw new Error("the sample has a transaction");
    raw.transactions.push({ ...transaction, id: 7710000002004, status: "failure", amount: "9.99" });

    const mapped = canonicalRefundSample(raw);
    expect(mapped.amount).toBe("75.71");
    expect(mapped.transactions).toHaveLength(2);
  });

  it("leaves out card details, the authorization and the refund note", () => {
    const json = JSON.stringify(refund);
    for (const secret of [
      "payment_details",
      "credit_card",
      "424242",
      "4242",
      "Visa",
      "Riley Chen",
      "re_3Sb7ExampleRefund000001",
      "c40000000002001.2",
      "wrong thread pitch",
    ]) {
      expect(json).not.toContain(secret);
    }
  });
});
