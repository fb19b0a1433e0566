import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { describeOrder } from "../../src/db/order-exports";
import { deadLetters } from "../../src/db/schema";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import { envWith } from "../support/env";
import {
  freshShopifyOrder,
  message,
  orderEnvelope,
  orderPayload,
  refundPayload,
  shopifyOrder,
} from "../support/orders";
import type { SandboxHandle } from "../support/sandbox";
import { SHOP } from "../support/webhooks";

const db = openDatabase(env.DB);
const QUEUE = "hub-orders";
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
});
afterEach(() => sandbox.restore());

function erpOrder(orderId: string) {
  return sandbox.orders("erp").find((order) => order.orderId === orderId);
}

function erpCalls(orderId: string) {
  return sandbox.calls("erp").filter((call) => call.orderId === orderId);
}

async function target(orderId: string, connector: string) {
  const { targets } = await describeOrder(db, SHOP, orderId);
  return targets.find((row) => row.connector === connector);
}

describe("order export", () => {
  it("exports one ERP and one OMS order however often the event arrives, also concurrently", async () => {
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));

    // Losers of the race find the order busy and are re-queued, not failed.
    const concurrent = await Promise.all(
      [1, 2, 3].map((n) => consume(QUEUE, [{ ...message(envelope), id: `c${n}` }])),
    );
    expect(concurrent.flatMap((result) => result.explicitAcks)).toHaveLength(3);
    await consume(QUEUE, [message(envelope, 9)]);

    expect(erpCalls(orderId).filter((call) => call.status < 300)).toHaveLength(1);
    expect(erpOrder(orderId)?.counts.events).toBe(1);
    expect(sandbox.orders("oms").filter((order) => order.orderId === orderId)).toHaveLength(1);

    const erp = await target(orderId, "erp");
    expect(erp).toMatchObject({ status: "exported", externalRef: erpOrder(orderId)?.externalRef });
    expect(erp?.writtenBackAt).toEqual(expect.any(Number));
    const written = await shopifyOrder(orderId);
    expect(written?.tags).toEqual(
      expect.arrayContaining([`erp:${erp?.externalRef}`, expect.stringMatching(/^oms:FO-/)]),
    );
    expect(erp?.lagMs).toBeGreaterThan(0);
  });

  it("retries through ERP 500, 500 and exports once on the third attempt", async () => {
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    sandbox.faults({ target: "erp", mode: "fail", status: 500, times: 2 });

    const first = await consume(QUEUE, [message(envelope, 1)]);
    const second = await consume(QUEUE, [message(envelope, 2)]);
    const third = await consume(QUEUE, [message(envelope, 3)]);

    expect(first.retryMessages).toHaveLength(1);
    expect(second.retryMessages).toHaveLength(1);
    expect(third.explicitAcks).toHaveLength(1);
    expect(erpOrder(orderId)?.counts.events).toBe(1);
    expect(await target(orderId, "erp")).toMatchObject({ status: "exported", attempts: 3 });
  });

  it("dead-letters an ERP 400 with its reason, and a replay after the fix exports once", async () => {
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    sandbox.faults({
      target: "erp",
      mode: "reject",
      status: 400,
      times: 1,
      reason: "unknown SKU HB-M8",
    });

    const result = await consume(QUEUE, [message(envelope, 1)]);
    expect(result.explicitAcks).toHaveLength(1);

    const [letter] = await db
      .select()
      .from(deadLetters)
      .where(and(eq(deadLetters.orderId, orderId), eq(deadLetters.status, "open")));
    expect(letter).toMatchObject({ errorClass: "permanent", errorCode: "connector_rejected" });
    expect(letter?.errorMessage).toContain("unknown SKU HB-M8");
    expect(await target(orderId, "erp")).toMatchObject({ status: "rejected" });

    await consume(QUEUE, [
      { ...message(envelope, 1), body: { ...envelope, replayOf: letter?.id } },
    ]);
    expect(erpOrder(orderId)?.counts.events).toBe(1);
    expect(await target(orderId, "erp")).toMatchObject({ status: "exported" });
  });

  it("sends no second order when the ERP stored one but its answer was lost", async () => {
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    sandbox.faults({ target: "erp", mode: "drop-after-commit", times: 1 });

    const lost = await consume(QUEUE, [message(envelope, 1)]);
    expect(lost.retryMessages).toHaveLength(1);
    await consume(QUEUE, [message(envelope, 2)]);

    const order = erpOrder(orderId);
    expect(sandbox.orders("erp").filter((row) => row.orderId === orderId)).toHaveLength(1);
    expect(order?.counts).toEqual({ events: 1, duplicates: 1 });
    expect(await target(orderId, "erp")).toMatchObject({
      status: "exported",
      externalRef: order?.externalRef,
    });
  });

  it("treats an update that overtook its create as the create, and older versions as no-ops", async () => {
    const orderId = await freshShopifyOrder();
    const created = orderEnvelope(
      "orders/create",
      orderPayload(orderId, { updated_at: "2026-12-01T10:14:05-05:00" }),
    );
    const updated = orderEnvelope(
      "orders/updated",
      orderPayload(orderId, { updated_at: "2026-12-01T11:00:00-05:00", po_number: "PO-NEW" }),
    );

    await consume(QUEUE, [message(updated)]);
    await consume(QUEUE, [message(created)]);
    await consume(QUEUE, [message(updated, 2)]);

    const events = erpOrder(orderId)?.events ?? [];
    expect(events.map((event) => event.effect)).toEqual(["create"]);
    expect(events[0]?.order).toMatchObject({ b2b: { poNumber: "PO-NEW" } });
  });

  it("sends a newer update, then the cancellation, to both ERP and OMS", async () => {
    const orderId = await freshShopifyOrder();
    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);
    await consume(QUEUE, [
      message(
        orderEnvelope(
          "orders/updated",
          orderPayload(orderId, { updated_at: "2026-12-02T09:00:00-05:00", po_number: "PO-2" }),
        ),
      ),
    ]);
    await consume(QUEUE, [
      message(
        orderEnvelope(
          "orders/cancelled",
          orderPayload(orderId, {
            updated_at: "2026-12-02T10:00:00-05:00",
            cancelled_at: "2026-12-02T10:00:00-05:00",
            cancel_reason: "customer",
          }),
        ),
      ),
    ]);

    expect(erpOrder(orderId)?.events.map((event) => event.effect)).toEqual([
      "create",
      "update",
      "cancel",
    ]);
    const oms = sandbox.orders("oms").find((order) => order.orderId === orderId);
    expect(oms?.events.map((event) => event.effect)).toEqual(["create", "update", "cancel"]);
  });

  it("ignores an orders/updated that only echoes the hub's own write-back tag", async () => {
    const orderId = await freshShopifyOrder();
    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);
    const ref = erpOrder(orderId)?.externalRef;
    await consume(QUEUE, [
      message(
        orderEnvelope(
          "orders/updated",
          orderPayload(orderId, { updated_at: "2026-12-01T10:15:00-05:00", tags: `erp:${ref}` }),
        ),
      ),
    ]);

    expect(erpOrder(orderId)?.events.map((event) => event.effect)).toEqual(["create"]);
    expect(await target(orderId, "erp")).toMatchObject({
      exportedRevision: Date.parse("2026-12-01T10:14:05-05:00"),
    });
  });

  it("holds a refund until its order is exported, then sends it to the ERP only", async () => {
    const orderId = await freshShopifyOrder();
    const refund = orderEnvelope("refunds/create", refundPayload(orderId));

    const early = await consume(QUEUE, [message(refund)]);
    expect(early.retryMessages).toHaveLength(1);
    expect(early.retryDelays.get(message(refund).id)).toBeGreaterThanOrEqual(1);

    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);
    await consume(QUEUE, [message(refund, 2)]);

    const events = erpOrder(orderId)?.events ?? [];
    expect(events.map((event) => event.effect)).toEqual(["create", "refund"]);
    expect(events[1]?.refund).toMatchObject({ amount: "75.71", currency: "CAD" });
    const oms = sandbox.orders("oms").find((order) => order.orderId === orderId);
    expect(oms?.events.map((event) => event.effect)).toEqual(["create"]);
  });

  it("applies each connector's PII policy and never sends payment data", async () => {
    const orderId = await freshShopifyOrder();
    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);
    await consume(QUEUE, [message(orderEnvelope("refunds/create", refundPayload(orderId)))]);

    const erp = erpOrder(orderId)?.events[0]?.order;
    const oms = sandbox.orders("oms").find((order) => order.orderId === orderId)?.events[0]?.order;
    expect(erp).toMatchObject({ email: "dana.whitfield@example.com", note: null, browserIp: null });
    expect(oms).toMatchObject({ email: "d***@example.com", browserIp: null });

    const everything = JSON.stringify([sandbox.orders("erp"), sandbox.orders("oms")]);
    for (const canary of ["4242", "424242", "credit_card", "Visa", "re_3Sb7", "198.51.100.23"]) {
      expect(everything).not.toContain(canary);
    }
  });

  it("routes OMS-led: the ERP gets the financial record only after the OMS accepted", async () => {
    const omsLed = envWith({ ORDER_ARCHITECTURE: "oms-led" });
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    sandbox.faults({ target: "oms", mode: "fail", status: 503, times: 1 });

    const first = await consume(QUEUE, [message(envelope)], omsLed);
    expect(first.retryMessages).toHaveLength(1);
    expect(erpCalls(orderId)).toHaveLength(0);

    await consume(QUEUE, [message(envelope, 2)], omsLed);
    expect(await target(orderId, "oms")).toMatchObject({ status: "exported" });
    expect(erpOrder(orderId)?.events.map((event) => event.effect)).toEqual(["create"]);
  });
});
