import { beforeEach, describe, expect, it } from "vitest";
import { createSandboxApp } from "../../../sandbox/app";
import { type ConnectorSystems, createConnectorSystems } from "../../../sandbox/connectors/system";
import { buildOrderEvent, orderEventRequest, SECRETS } from "../order-events";

let systems: ConnectorSystems;
let sandbox: ReturnType<typeof createSandboxApp>;

beforeEach(() => {
  systems = createConnectorSystems({ erpSecret: SECRETS.erp, omsSecret: SECRETS.oms });
  sandbox = createSandboxApp(systems);
});

describe("POST /{erp,oms}/v1/order-events", () => {
  it("answers 201 with an SO reference from the ERP and an FO reference from the OMS", async () => {
    const event = buildOrderEvent();

    const erp = await sandbox.fetch(orderEventRequest("erp", event));
    const oms = await sandbox.fetch(orderEventRequest("oms", event));

    expect(erp.status).toBe(201);
    expect(await erp.json()).toEqual({ externalRef: "SO-1001" });
    expect(oms.status).toBe(201);
    expect(await oms.json()).toEqual({ externalRef: "FO-1001" });
  });

  it.each([
    ["a wrong secret", { secret: SECRETS.oms }],
    ["no signature", { headers: { "webhook-signature": undefined } }],
    ["a stale timestamp", { headers: { "webhook-timestamp": "1000000000" } }],
  ])("answers 401 problem+json and stores nothing for %s", async (_case, options) => {
    const response = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent(), options));

    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 401, reason: "invalid_signature" });
    expect(systems.erp.ledger.orders()).toEqual([]);
  });

  it("answers 401 for a body changed after signing", async () => {
    const signed = orderEventRequest("erp", buildOrderEvent({ orderId: "8001" }));
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: (await signed.text()).replace("8001", "8002"),
    });

    const response = await sandbox.fetch(tampered);

    expect(response.status).toBe(401);
    expect(systems.erp.ledger.orders()).toEqual([]);
  });

  it("requires the idempotency-key header", async () => {
    const request = orderEventRequest("erp", buildOrderEvent(), {
      headers: { "idempotency-key": undefined },
    });

    const response = await sandbox.fetch(request);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: "missing_idempotency_key" });
  });

  it("refuses a header key that differs from the body's", async () => {
    const request = orderEventRequest("erp", buildOrderEvent(), {
      headers: { "idempotency-key": "another-key" },
    });

    const response = await sandbox.fetch(request);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: "idempotency_key_mismatch" });
  });

  it.each([
    ["not JSON", "{"],
    ["an unknown effect", JSON.stringify({ ...buildOrderEvent(), effect: "ship" })],
    ["no order object", JSON.stringify({ ...buildOrderEvent(), order: "none" })],
  ])("answers 400 invalid_body for %s", async (_case, body) => {
    const response = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent(), { body }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: "invalid_body" });
  });

  it("files one order for three sends of one key and answers repeats 409 with its reference", async () => {
    const event = buildOrderEvent();

    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let send = 0; send < 3; send += 1) {
      const response = await sandbox.fetch(orderEventRequest("erp", event));
      statuses.push(response.status);
      bodies.push(await response.json());
    }

    expect(statuses).toEqual([201, 409, 409]);
    expect(bodies).toEqual([
      { externalRef: "SO-1001" },
      { externalRef: "SO-1001", detail: "already received" },
      { externalRef: "SO-1001", detail: "already received" },
    ]);
    const orders = systems.erp.ledger.orders();
    expect(orders).toHaveLength(1);
    expect(orders[0]?.counts).toEqual({ events: 1, duplicates: 2 });
  });

  it("reuses an order's reference for its later effects and numbers new orders onwards", async () => {
    const created = buildOrderEvent({ orderId: "7001" });
    const updated = buildOrderEvent({
      orderId: "7001",
      effect: "update",
      idempotencyKey: "test-shop.myshopify.com:7001:1764583200000:update",
    });
    const cancelled = buildOrderEvent({ orderId: "7001", effect: "cancel" });
    const other = buildOrderEvent({ orderId: "7002" });

    const refs: unknown[] = [];
    for (const event of [created, updated, cancelled, other]) {
      refs.push(await (await sandbox.fetch(orderEventRequest("erp", event))).json());
    }

    expect(refs).toEqual([
      { externalRef: "SO-1001" },
      { externalRef: "SO-1001" },
      { externalRef: "SO-1001" },
      { externalRef: "SO-1002" },
    ]);
    expect(systems.erp.ledger.orders()[0]).toMatchObject({
      orderId: "7001",
      lastEffect: "cancel",
      counts: { events: 3, duplicates: 0 },
    });
  });

  it("logs every call with its key, effect, trace and answer", async () => {
    const event = buildOrderEvent();
    await sandbox.fetch(orderEventRequest("oms", event));
    await sandbox.fetch(orderEventRequest("oms", event, { secret: SECRETS.erp }));

    expect(systems.oms.ledger.calls()).toEqual([
      {
        at: expect.any(String),
        idempotencyKey: event.idempotencyKey,
        effect: "create",
        shop: event.shop,
        orderId: event.orderId,
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        fault: null,
        status: 201,
      },
      expect.objectContaining({ idempotencyKey: event.idempotencyKey, effect: null, status: 401 }),
    ]);
  });
});
