import { env, exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client";
import { describeOrder } from "../../src/db/order-exports";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import {
  freshShopifyOrder,
  message,
  orderEnvelope,
  orderPayload,
  shopifyOrder,
} from "../support/orders";
import { type SandboxHandle, TEST_ERP_SIGNING_SECRET } from "../support/sandbox";
import { deliver, eventually, SHOP } from "../support/webhooks";

const db = openDatabase(env.DB);
const QUEUE = "hub-orders";
const OPERATOR = "Bearer operator-token-0123456789";
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
});
afterEach(() => {
  vi.useRealTimers();
  sandbox.restore();
});

async function erpTarget(orderId: string) {
  const { targets } = await describeOrder(db, SHOP, orderId);
  return targets.find((row) => row.connector === "erp");
}

function erpOrders(orderIds: string[]) {
  return sandbox.orders("erp").filter((order) => orderIds.includes(order.orderId));
}

async function signedAck(body: unknown, secret = TEST_ERP_SIGNING_SECRET) {
  const text = JSON.stringify(body);
  const id = `ack-${crypto.randomUUID()}`;
  const now = new Date();
  return exports.default.fetch(
    new Request("https://hub.test/connectors/erp/acks", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(id, now, text),
      },
      body: text,
    }),
  );
}

describe("order export resilience", () => {
  it("opens the ERP breaker in an outage, lets only probes through, and exports everything after", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    sandbox.faults({ target: "erp", mode: "down" });

    const orderIds: string[] = [];
    for (let n = 0; n < 8; n++) orderIds.push(await freshShopifyOrder());
    const envelopes = orderIds.map((id) => orderEnvelope("orders/create", orderPayload(id)));

    for (const envelope of envelopes) await consume(QUEUE, [message(envelope, 1)]);
    const callsWhenOpen = sandbox.calls("erp").length;
    // BREAKER_MIN_CALLS (5) failures open it; the rest wait without reaching the ERP.
    expect(callsWhenOpen).toBe(5);
    const breaker = await env.CIRCUIT_BREAKERS.getByName("erp").snapshot();
    expect(breaker.state).toBe("open");

    vi.setSystemTime(start + 31_000);
    for (const envelope of envelopes) await consume(QUEUE, [message(envelope, 2)]);
    expect(sandbox.calls("erp").length).toBe(callsWhenOpen + 1);

    sandbox.clearFaults();
    vi.setSystemTime(start + 62_000);
    for (const envelope of envelopes) await consume(QUEUE, [message(envelope, 3)]);

    const exported = erpOrders(orderIds);
    expect(exported).toHaveLength(8);
    expect(exported.every((order) => order.counts.events === 1)).toBe(true);
    for (const orderId of orderIds) {
      expect(await erpTarget(orderId)).toMatchObject({ status: "exported" });
    }
    expect((await env.CIRCUIT_BREAKERS.getByName("erp").snapshot()).state).toBe("closed");
  });

  it("recovers a throttled write-back without exporting again", async () => {
    const orderId = await freshShopifyOrder();
    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    await fetch("http://sandbox.test/shopify/_control/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ throttle: 1 }),
    });

    const throttled = await consume(QUEUE, [message(envelope, 1)]);
    expect(throttled.retryMessages).toHaveLength(1);
    expect(await erpTarget(orderId)).toMatchObject({ status: "exported", writtenBackAt: null });

    await consume(QUEUE, [message(envelope, 2)]);
    const target = await erpTarget(orderId);
    expect(target?.writtenBackAt).toEqual(expect.any(Number));
    expect(erpOrders([orderId])[0]?.counts.events).toBe(1);
    expect((await shopifyOrder(orderId))?.metafields["$app:edge_hub.erp_reference"]?.value).toBe(
      target?.externalRef,
    );
  });

  it("takes a signed late ack, then writes the reference back", async () => {
    const orderId = await freshShopifyOrder();
    sandbox.faults({ target: "erp", mode: "pending", times: 1 });
    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);
    expect(await erpTarget(orderId)).toMatchObject({ status: "awaiting_ack", externalRef: null });

    const idempotencyKey = `${SHOP}:${orderId}:0:create`;
    const forged = await signedAck(
      { idempotencyKey, externalRef: "SO-LATE" },
      "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0wMQ==",
    );
    expect(forged.status).toBe(401);
    expect((await signedAck({ idempotencyKey: "nope", externalRef: "X" })).status).toBe(404);

    const ack = await signedAck({ idempotencyKey, externalRef: "SO-LATE" });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toEqual({ status: "acknowledged" });
    expect(await erpTarget(orderId)).toMatchObject({ status: "exported", externalRef: "SO-LATE" });

    const again = await signedAck({ idempotencyKey, externalRef: "SO-OTHER" });
    expect(again.status).toBe(409);

    // The ack re-queues the order through the normal path, which writes back.
    const written = await eventually(async () => {
      const order = await shopifyOrder(orderId);
      return order?.tags.includes("erp:SO-LATE") ? order : undefined;
    });
    expect(written.metafields["$app:edge_hub.erp_reference"]?.value).toBe("SO-LATE");
  });

  it("answers where an order is, and replays it by id", async () => {
    const orderId = await freshShopifyOrder();
    sandbox.faults({ target: "oms", mode: "reject", status: 422, times: 1, reason: "no route" });
    await consume(QUEUE, [message(orderEnvelope("orders/create", orderPayload(orderId)))]);

    const lookup = await exports.default.fetch(
      `https://hub.test/admin/api/orders/${orderId}?shop=${SHOP}`,
      { headers: { authorization: OPERATOR } },
    );
    expect(lookup.status).toBe(200);
    const body = (await lookup.json()) as {
      connectors: { connector: string; status: string; lastError: string | null }[];
      effects: { effect: string; status: string }[];
    };
    expect(body.connectors.map((row) => [row.connector, row.status])).toEqual([
      ["erp", "exported"],
      ["oms", "rejected"],
    ]);
    expect(body.connectors[1]?.lastError).toContain("no route");

    const replay = await exports.default.fetch(
      `https://hub.test/admin/api/orders/${orderId}/replay?shop=${SHOP}`,
      { method: "POST", headers: { authorization: OPERATOR } },
    );
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const { targets } = await describeOrder(db, SHOP, orderId);
      return targets.every((row) => row.status === "exported") ? targets : undefined;
    });
    expect(erpOrders([orderId])[0]?.counts.events).toBe(1);

    const unknown = await exports.default.fetch(
      `https://hub.test/admin/api/orders/1/replay?shop=${SHOP}`,
      { method: "POST", headers: { authorization: OPERATOR } },
    );
    expect(unknown.status).toBe(404);
    const readOnly = await exports.default.fetch(
      `https://hub.test/admin/api/orders/${orderId}/replay?shop=${SHOP}`,
      { method: "POST", headers: { authorization: "Bearer viewer-token-0123456789ab" } },
    );
    expect(readOnly.status).toBe(403);
  });

  it("turns one webhook delivered three times, twice concurrently, into one ERP order", async () => {
    const orderId = await freshShopifyOrder();
    const payload = orderPayload(orderId);
    const webhookId = `e2e-${orderId}`;

    const answers = await Promise.all([
      deliver(payload, { topic: "orders/create", webhookId }),
      deliver(payload, { topic: "orders/create", webhookId }),
    ]);
    const later = await deliver(payload, { topic: "orders/create", webhookId });
    expect(answers.map((response) => response.status).sort()).toContain(202);
    expect([200, 409]).toContain(later.status);

    const target = await eventually(async () => {
      const row = await erpTarget(orderId);
      return row?.writtenBackAt ? row : undefined;
    });
    expect(erpOrders([orderId])).toHaveLength(1);
    expect(erpOrders([orderId])[0]?.counts.events).toBe(1);
    expect(target.lagMs).toBeGreaterThanOrEqual(0);
  });
});
