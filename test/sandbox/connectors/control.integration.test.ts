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

describe("sandbox control API", () => {
  it("lists the order-event, control and Shopify routes at /", async () => {
    const response = await sandbox.request("/");

    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ service: "shopify-edge-hub-sandbox" });
    expect(body).toHaveProperty(
      "routes",
      expect.arrayContaining([
        "POST /erp/v1/order-events",
        "POST /oms/v1/order-events",
        "POST /_control/faults",
        "DELETE /_control/faults",
        "GET /_control/orders",
        "GET /_control/calls",
        "POST /_control/reset",
        "POST /shopify/:shop/admin/api/:version/graphql.json",
      ]),
    );
  });

  it("shows each distinct order with its reference, counts and events", async () => {
    const event = buildOrderEvent({ orderId: "9001" });
    await sandbox.fetch(orderEventRequest("erp", event));
    await sandbox.fetch(orderEventRequest("erp", event));

    const response = await sandbox.request("/_control/orders?target=erp");

    expect(await response.json()).toEqual({
      target: "erp",
      orders: [
        {
          shop: event.shop,
          orderId: "9001",
          externalRef: "SO-1001",
          lastEffect: "create",
          counts: { events: 1, duplicates: 1 },
          events: [
            {
              idempotencyKey: event.idempotencyKey,
              effect: "create",
              occurredAt: event.occurredAt,
              receivedAt: expect.any(String),
              status: "accepted",
              order: event.order,
            },
          ],
        },
      ],
    });
  });

  it("shows every call a system answered", async () => {
    const event = buildOrderEvent();
    await sandbox.fetch(orderEventRequest("oms", event));
    await sandbox.fetch(orderEventRequest("oms", event));

    const response = await sandbox.request("/_control/calls?target=oms");

    const body = await response.json();
    expect(body).toMatchObject({
      target: "oms",
      calls: [
        { idempotencyKey: event.idempotencyKey, status: 201 },
        { idempotencyKey: event.idempotencyKey, status: 409 },
      ],
    });
  });

  it("lists the faults still queued for a system", async () => {
    systems.oms.faults.add({ mode: "fail", status: 500, times: 2 });

    const response = await sandbox.request("/_control/faults?target=oms");

    expect(await response.json()).toEqual({
      target: "oms",
      faults: [{ fault: { mode: "fail", status: 500, times: 2 }, remaining: 2 }],
    });
  });

  it("clears the faults of one system only when given a target", async () => {
    systems.erp.faults.add({ mode: "down", retryAfterSeconds: 30 });
    systems.oms.faults.add({ mode: "down", retryAfterSeconds: 30 });

    const response = await sandbox.request("/_control/faults?target=oms", { method: "DELETE" });

    expect(await response.json()).toEqual({ cleared: ["oms"] });
    expect(systems.erp.faults.list()).toHaveLength(1);
    expect(systems.oms.faults.list()).toEqual([]);
  });

  it("forgets orders, calls and faults on reset, and numbers references afresh", async () => {
    await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));
    systems.erp.faults.add({ mode: "down", retryAfterSeconds: 30 });

    const reset = await sandbox.request("/_control/reset", { method: "POST" });
    const after = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));

    expect(await reset.json()).toEqual({ reset: ["erp", "oms"] });
    expect(await after.json()).toEqual({ externalRef: "SO-1001" });
    expect(systems.erp.ledger.orders()).toHaveLength(1);
    expect(systems.erp.ledger.calls()).toHaveLength(1);
  });

  it.each(["/_control/orders", "/_control/orders?target=pim", "/_control/calls?target="])(
    "answers 400 invalid_target for %s",
    async (path) => {
      const response = await sandbox.request(path);

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ reason: "invalid_target" });
    },
  );

  it("answers unknown routes with a 404 problem", async () => {
    const response = await sandbox.request("/erp/v2/orders");

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ reason: "not_found" });
  });
});
