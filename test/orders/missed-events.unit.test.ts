import { describe, expect, it } from "vitest";
import type { OrderKnowledge } from "../../src/db/order-knowledge";
import { missedTopics, reconciledEnvelope } from "../../src/orders/missed-events";
import { EnvelopeSchema } from "../../src/queues/envelope";
import { orderPayload } from "../support/orders";

function known(topics: string[]): OrderKnowledge {
  return { topics: new Set(topics), latestSeenMs: 1, exportedDigests: [] };
}

const open = { financial_status: "pending", cancelled_at: null };
const paid = { financial_status: "paid", cancelled_at: null };
const cancelled = { financial_status: "voided", cancelled_at: "2026-12-02T10:00:00Z" };

describe("missedTopics", () => {
  it.each([
    ["an order never seen", open, undefined, false, ["orders/create"]],
    ["a paid order never seen", paid, undefined, false, ["orders/create", "orders/paid"]],
    ["a newer version", open, known(["orders/create"]), false, ["orders/updated"]],
    ["an echo of the hub's own write-back", open, known(["orders/create"]), true, []],
    ["a payment never heard of", paid, known(["orders/create"]), true, ["orders/paid"]],
    ["a payment already received", paid, known(["orders/create", "orders/paid"]), true, []],
    [
      "a cancellation never heard of",
      cancelled,
      known(["orders/create"]),
      false,
      ["orders/updated", "orders/cancelled"],
    ],
  ] as const)("answers %s", (_case, order, knowledge, unchanged, topics) => {
    expect(missedTopics(order, knowledge, unchanged)).toEqual(topics);
  });
});

describe("reconciledEnvelope", () => {
  it("builds a valid orders envelope with ids derived from the order version", () => {
    const payload = {
      ...orderPayload("5550001"),
      id: "5550001",
      updated_at: "2026-12-01T10:14:05-05:00",
    };
    const envelope = reconciledEnvelope(
      "test-shop.myshopify.com",
      "orders/paid",
      payload,
      "2026-10",
    );

    expect(EnvelopeSchema.parse(envelope)).toMatchObject({
      topic: "orders/paid",
      webhookId: "reconcile:5550001:1796138045000:orders/paid",
      eventId: "reconcile:5550001:1796138045000",
      triggeredAt: "2026-12-01T15:14:05.000Z",
      subjects: { orderId: "5550001", customerId: "8123450001001" },
    });
  });
});
