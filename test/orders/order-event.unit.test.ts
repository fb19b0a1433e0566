import { describe, expect, it } from "vitest";
import paidSample from "../../samples/webhooks/orders-paid.json";
import { MoneyFormatError } from "../../src/domain/money";
import { type OrderEvent, readOrderEvent } from "../../src/orders/order-event";
import type { Envelope } from "../../src/queues/envelope";
import { PermanentError } from "../../src/queues/errors";
import { buildEnvelope } from "../support/envelopes";
import { caught } from "../support/thrown";
import { rawSamples } from "./sample-orders";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

function orderEnvelope(topic: string, overrides: Partial<Envelope> = {}): Envelope {
  return buildEnvelope({
    domain: "orders",
    topic,
    shop: "dev-shop.myshopify.com",
    traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`,
    subjects: {},
    ...overrides,
  });
}

function read(topic: string, payload: unknown, overrides: Partial<Envelope> = {}) {
  return readOrderEvent(orderEnvelope(topic, overrides), payload);
}

function readOrder(topic: string, payload: unknown): Extract<OrderEvent, { order: unknown }> {
  const event = read(topic, payload);
  if (!event || event.effect === "refund") throw new Error(`expected an order event for ${topic}`);
  return event;
}

describe("readOrderEvent", () => {
  it.each([
    ["orders/create", rawSamples.b2b, "create", "6401928374650", "2026-12-01T10:14:05-05:00"],
    ["orders/updated", rawSamples.updated, "update", "6401928374650", "2026-12-01T10:20:41-05:00"],
    [
      "orders/cancelled",
      rawSamples.cancelled,
      "cancel",
      "6401928374650",
      "2026-12-02T08:03:12-05:00",
    ],
    ["orders/paid", () => paidSample, "payment", "6401930111202", "2026-12-01T19:42:41-05:00"],
  ])(
    "reads %s as a %s of its order at its updated_at",
    (topic, sample, effect, orderId, updatedAt) => {
      const event = readOrder(topic, sample());

      expect(event).toMatchObject({ effect, orderId, revisionMs: Date.parse(updatedAt) });
      expect(event.order.orderId).toBe(orderId);
    },
  );

  it("stamps the canonical order with where the event came from", () => {
    const envelope = orderEnvelope("orders/create");
    const event = readOrderEvent(envelope, rawSamples.b2b());

    expect(event).toMatchObject({
      customerId: "8123450001001",
      order: {
        name: "#1001",
        source: {
          shop: "dev-shop.myshopify.com",
          topic: "orders/create",
          apiVersion: envelope.apiVersion,
          webhookId: envelope.webhookId,
          eventId: envelope.eventId,
          traceId: TRACE_ID,
        },
      },
    });
  });

  it("leaves the trace id empty when the traceparent is not valid", () => {
    const event = read("orders/create", rawSamples.b2b(), { traceparent: "not-a-traceparent" });
    expect(event).toMatchObject({ order: { source: { traceId: "" } } });
  });

  it("has no customer id for an order without a customer", () => {
    const raw: Record<string, unknown> = rawSamples.d2c();
    delete raw.customer;

    expect(readOrder("orders/create", raw).customerId).toBeNull();
  });

  it("reads refunds/create as a refund keyed by the refund's creation time", () => {
    const event = read("refunds/create", rawSamples.refund(), {
      subjects: { orderId: "6401930111202", customerId: "8123450002002" },
    });

    expect(event).toMatchObject({
      effect: "refund",
      orderId: "6401930111202",
      revisionMs: Date.parse("2026-12-08T14:31:52-05:00"),
      customerId: "8123450002002",
      refund: { refundId: "1050000002001", amount: "75.71", currency: "CAD" },
    });
  });

  it("has no customer id for a refund whose envelope names none", () => {
    expect(read("refunds/create", rawSamples.refund())).toMatchObject({ customerId: null });
  });

  it.each(["orders/edited", "orders/fulfilled", "fulfillments/create", "fulfillments/update"])(
    "ignores %s, whatever its payload",
    (topic) => {
      expect(read(topic, rawSamples.b2b())).toBeUndefined();
      expect(read(topic, { not: "an order" })).toBeUndefined();
    },
  );

  describe("with a payload that is not what the topic promises", () => {
    const withoutLines = () => {
      const raw: Record<string, unknown> = rawSamples.b2b();
      delete raw.line_items;
      return raw;
    };

    it.each([
      ["orders/create", "an empty object", () => ({})],
      ["orders/create", "null", () => null],
      ["orders/create", "a string", () => "6401928374650"],
      ["orders/create", "an order without line_items", withoutLines],
      ["orders/updated", "a refund", rawSamples.refund],
      ["refunds/create", "an order", rawSamples.b2b],
      ["refunds/create", "an empty array", () => []],
    ])("rejects %s with %s as invalid_order_payload", (topic, _, payload) => {
      const error = caught(() => read(topic, payload()));

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: "invalid_order_payload" });
      expect((error as PermanentError).message).toContain(`${topic} payload:`);
    });

    it("names the missing field", () => {
      const error = caught(() => read("orders/create", withoutLines()));
      expect((error as PermanentError).message).toContain("line_items");
    });

    it.each([
      ["a total with a fraction of a cent", { total_price: "1983.365" }],
      ["a malformed line price", { subtotal_price: "twelve" }],
      ["a currency that is not an ISO code", { currency: "dollars" }],
    ])("rejects an order with %s, keeping the money error as its cause", (_, change) => {
      const error = caught(() => read("orders/create", { ...rawSamples.b2b(), ...change }));

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: "invalid_order_payload" });
      expect((error as PermanentError).cause).toBeInstanceOf(MoneyFormatError);
    });

    it("rejects an order whose updated_at is not a date", () => {
      const error = caught(() =>
        read("orders/updated", { ...rawSamples.updated(), updated_at: "yesterday" }),
      );
      expect(error).toMatchObject({ name: "PermanentError", code: "invalid_order_payload" });
    });

    it("rejects a refund whose created_at is not a date", () => {
      const error = caught(() =>
        read("refunds/create", { ...rawSamples.refund(), created_at: "last week" }),
      );
      expect(error).toMatchObject({ name: "PermanentError", code: "invalid_order_payload" });
    });

    it("rejects a refund transaction with bad money", () => {
      const raw = rawSamples.refund();
      const [transaction] = raw.transactions;
      if (!transaction) throw new Error("the sample has a transaction");
      transaction.amount = "75.715";

      const error = caught(() => read("refunds/create", raw));
      expect(error).toMatchObject({ name: "PermanentError", code: "invalid_order_payload" });
    });
  });
});
