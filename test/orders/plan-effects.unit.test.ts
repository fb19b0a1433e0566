import { describe, expect, it } from "vitest";
import type { OrderTarget } from "../../src/db/order-exports";
import { planEffects } from "../../src/orders/export";
import type { OrderEvent } from "../../src/orders/order-event";
import { ORDER_EFFECTS, type OrderEffect, type OrderRoute } from "../../src/orders/routing";
import { RetryableError } from "../../src/queues/errors";
import { caught } from "../support/thrown";
import { canonicalRefundSample, canonicalSample, rawSamples } from "./sample-orders";

const ORDER = canonicalSample(rawSamples.b2b());
const REFUND = canonicalRefundSample();
/** `updated_at` of the B2B sample (2026-12-01T10:14:05-05:00) in epoch ms. */
const CREATED_REVISION = Date.parse(ORDER.updatedAt);
const LATER_REVISION = CREATED_REVISION + 6 * 60_000;

/** An order event on #1001; each case names the effect and, when it matters, the revision. */
function orderEvent(
  effect: Exclude<OrderEffect, "refund">,
  revisionMs = CREATED_REVISION,
): OrderEvent {
  return { effect, orderId: ORDER.orderId, order: ORDER, revisionMs, customerId: null };
}

function refundEvent(): OrderEvent {
  return {
    effect: "refund",
    orderId: REFUND.orderId,
    refund: REFUND,
    revisionMs: Date.parse(REFUND.createdAt),
    customerId: null,
  };
}

/** An order_targets row as the lease hands it over; each case overrides what differs. */
function buildTarget(overrides: Partial<OrderTarget> = {}): OrderTarget {
  return {
    shop: "dev-shop.myshopify.com",
    orderId: ORDER.orderId,
    connector: "erp",
    orderName: "#1001",
    status: "pending",
    externalRef: null,
    exportedDigest: null,
    exportedRevision: null,
    attempts: 0,
    firstSeenAt: 1_796_137_000_000,
    exportedAt: null,
    lagMs: null,
    lastError: null,
    writtenBackAt: null,
    leaseOwner: "lease-owner-1",
    leaseUntil: 1_796_137_015_000,
    traceId: "0af7651916cd43dd8448eb211c80319c",
    updatedAt: 1_796_137_000_000,
    ...overrides,
  };
}

const exported = (overrides: Partial<OrderTarget> = {}) =>
  buildTarget({
    status: "exported",
    externalRef: "ERP-SO-1001",
    exportedRevision: CREATED_REVISION,
    ...overrides,
  });

const EVERYTHING: OrderRoute = { connector: "erp", effects: ORDER_EFFECTS };

describe("planEffects before the connector has the order", () => {
  it("turns the first create into a create at revision 0", () => {
    expect(planEffects(orderEvent("create"), buildTarget(), EVERYTHING)).toEqual([
      { effect: "create", revision: "0" },
    ]);
  });

  it("turns an update that overtook its create into a create of the newest version", () => {
    expect(planEffects(orderEvent("update", LATER_REVISION), buildTarget(), EVERYTHING)).toEqual([
      { effect: "create", revision: "0" },
    ]);
  });

  it.each(["cancel", "payment"] as const)(
    "sends a %s that arrives first after a create",
    (effect) => {
      expect(planEffects(orderEvent(effect), buildTarget(), EVERYTHING)).toEqual([
        { effect: "create", revision: "0" },
        { effect, revision: "0" },
      ]);
    },
  );

  it("creates again after a rejected create", () => {
    expect(
      planEffects(orderEvent("update"), buildTarget({ status: "rejected" }), EVERYTHING),
    ).toEqual([{ effect: "create", revision: "0" }]);
  });

  it("holds a refund back until the order is created", () => {
    const error = caught(() => planEffects(refundEvent(), buildTarget(), EVERYTHING));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({
      code: "awaiting_create",
      options: { retryAfterSeconds: expect.any(Number) },
    });
  });
});

describe("planEffects once the connector has the order", () => {
  it("sends a newer update with its updated_at as the revision", () => {
    expect(planEffects(orderEvent("update", LATER_REVISION), exported(), EVERYTHING)).toEqual([
      { effect: "update", revision: String(LATER_REVISION) },
    ]);
  });

  it.each([
    ["the same", CREATED_REVISION],
    ["an older", CREATED_REVISION - 1],
  ])("drops an update of %s revision as stale", (_, revisionMs) => {
    expect(planEffects(orderEvent("update", revisionMs), exported(), EVERYTHING)).toEqual([]);
  });

  it("sends an update to a row that has no revision yet", () => {
    expect(
      planEffects(orderEvent("update"), exported({ exportedRevision: null }), EVERYTHING),
    ).toEqual([{ effect: "update", revision: String(CREATED_REVISION) }]);
  });

  it("drops a repeated create", () => {
    expect(planEffects(orderEvent("create"), exported(), EVERYTHING)).toEqual([]);
  });

  it.each(["cancel", "payment"] as const)("sends a %s alone", (effect) => {
    expect(planEffects(orderEvent(effect), exported(), EVERYTHING)).toEqual([
      { effect, revision: "0" },
    ]);
  });

  it("keys a refund by its refund id", () => {
    expect(planEffects(refundEvent(), exported(), EVERYTHING)).toEqual([
      { effect: "refund", revision: "1050000002001" },
    ]);
  });
});

describe("planEffects while the connector has not acknowledged the create", () => {
  const awaitingAck = buildTarget({ status: "awaiting_ack", exportedRevision: CREATED_REVISION });

  it.each([
    ["update", () => orderEvent("update", LATER_REVISION)],
    ["cancel", () => orderEvent("cancel")],
    ["payment", () => orderEvent("payment")],
    ["refund", refundEvent],
  ])("waits to send the %s", (_, event) => {
    const error = caught(() => planEffects(event(), awaitingAck, EVERYTHING));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({
      code: "awaiting_ack",
      options: { retryAfterSeconds: expect.any(Number) },
    });
  });

  it("drops a repeated create without waiting", () => {
    expect(planEffects(orderEvent("create"), awaitingAck, EVERYTHING)).toEqual([]);
  });
});

describe("planEffects on a route that takes only some effects", () => {
  const fulfilment: OrderRoute = { connector: "oms", effects: ["create", "update", "cancel"] };
  const financials: OrderRoute = {
    connector: "erp",
    effects: ["create", "cancel", "payment", "refund"],
    after: "oms",
  };

  it("sends the create but not a payment the route does not take", () => {
    expect(planEffects(orderEvent("payment"), buildTarget(), fulfilment)).toEqual([
      { effect: "create", revision: "0" },
    ]);
    expect(planEffects(orderEvent("payment"), exported(), fulfilment)).toEqual([]);
  });

  it("sends nothing for a refund the route does not take", () => {
    expect(planEffects(refundEvent(), exported(), fulfilment)).toEqual([]);
  });

  it("drops updates on a route without them", () => {
    expect(planEffects(orderEvent("update", LATER_REVISION), exported(), financials)).toEqual([]);
  });

  it("still creates first when an update reaches a route without updates", () => {
    expect(planEffects(orderEvent("update", LATER_REVISION), buildTarget(), financials)).toEqual([
      { effect: "create", revision: "0" },
    ]);
  });
});
