import { beforeEach, describe, expect, it } from "vitest";
import { createSandboxApp } from "../../../sandbox/app";
import { FaultQueue } from "../../../sandbox/connectors/faults";
import { type ConnectorSystems, createConnectorSystems } from "../../../sandbox/connectors/system";
import { buildOrderEvent, orderEventRequest, SECRETS } from "../order-events";

let systems: ConnectorSystems;
let sandbox: ReturnType<typeof createSandboxApp>;

beforeEach(() => {
  systems = createConnectorSystems({ erpSecret: SECRETS.erp, omsSecret: SECRETS.oms });
  sandbox = createSandboxApp(systems);
});

async function injectFault(fault: Record<string, unknown>): Promise<Response> {
  return sandbox.request("/_control/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
}

async function statusesOf(sends: number, event = buildOrderEvent()): Promise<number[]> {
  const statuses: number[] = [];
  for (let send = 0; send < sends; send += 1) {
    statuses.push((await sandbox.fetch(orderEventRequest("erp", event))).status);
  }
  return statuses;
}

describe("POST /_control/faults", () => {
  it("fails the next `times` calls with the given status, then recovers", async () => {
    expect((await injectFault({ target: "erp", mode: "fail", status: 500, times: 2 })).status).toBe(
      201,
    );

    expect(await statusesOf(3)).toEqual([500, 500, 201]);
    expect(systems.erp.ledger.calls().map((call) => call.fault)).toEqual(["fail", "fail", null]);
    expect(systems.erp.ledger.orders()).toHaveLength(1);
  });

  it("sends Retry-After with a failure when asked", async () => {
    await injectFault({ target: "erp", mode: "fail", status: 429, retryAfterSeconds: 7 });

    const response = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));

    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toMatchObject({ reason: "injected_failure" });
  });

  it("rejects with the given status and reason as problem+json, storing nothing", async () => {
    await injectFault({
      target: "erp",
      mode: "reject",
      status: 400,
      times: 1,
      reason: "unknown SKU",
    });

    const response = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ reason: "rejected", detail: "unknown SKU" });
    expect(systems.erp.ledger.orders()).toEqual([]);
  });

  it("delays the answer by the given latency", async () => {
    await injectFault({ target: "erp", mode: "latency", ms: 150, times: 1 });

    const started = Date.now();
    const response = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));

    expect(response.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("answers 503 with Retry-After while down, until the faults are cleared", async () => {
    await injectFault({ target: "erp", mode: "down" });

    const down = await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()));
    expect(await statusesOf(3)).toEqual([503, 503, 503]);
    const cleared = await sandbox.request("/_control/faults", { method: "DELETE" });

    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("30");
    expect(await down.json()).toMatchObject({ reason: "unavailable" });
    expect(await cleared.json()).toEqual({ cleared: ["erp", "oms"] });
    expect(await statusesOf(1)).toEqual([201]);
  });

  it("stores the order but answers 504 on drop-after-commit; the retry gets 409 and the same ref", async () => {
    await injectFault({ target: "erp", mode: "drop-after-commit", times: 1 });
    const event = buildOrderEvent();

    const dropped = await sandbox.fetch(orderEventRequest("erp", event));
    const retried = await sandbox.fetch(orderEventRequest("erp", event));

    expect(dropped.status).toBe(504);
    expect(await dropped.json()).toMatchObject({ reason: "response_lost" });
    expect(retried.status).toBe(409);
    expect(await retried.json()).toEqual({ externalRef: "SO-1001", detail: "already received" });
    expect(systems.erp.ledger.orders()).toHaveLength(1);
  });

  it("answers 202 pending and files the event as pending under a reference", async () => {
    await injectFault({ target: "oms", mode: "pending", times: 1 });

    const response = await sandbox.fetch(orderEventRequest("oms", buildOrderEvent()));

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "pending" });
    const [order] = systems.oms.ledger.orders();
    expect(order?.externalRef).toBe("FO-1001");
    expect(order?.events.map((event) => event.status)).toEqual(["pending"]);
  });

  it("fails the share of calls a rate draws and handles the others normally", async () => {
    const draws = [0.1, 0.8, 0.25, 0.6];
    systems.erp.faults = new FaultQueue(() => draws.shift() ?? 1);
    const injected = await injectFault({ target: "erp", mode: "fail", status: 503, rate: 0.3 });

    const statuses: number[] = [];
    for (let call = 0; call < 4; call += 1) {
      statuses.push((await sandbox.fetch(orderEventRequest("erp", buildOrderEvent()))).status);
    }

    expect(injected.status).toBe(201);
    expect(statuses).toEqual([503, 201, 503, 201]);
    expect(systems.erp.ledger.calls().map((call) => call.fault)).toEqual([
      "fail",
      null,
      "fail",
      null,
    ]);
    expect(systems.erp.ledger.orders()).toHaveLength(2);
    expect(systems.erp.faults.list()).toEqual([
      { fault: { mode: "fail", status: 503, rate: 0.3 }, remaining: null },
    ]);
  });

  it("uses queued faults in order of arrival", async () => {
    await injectFault({ target: "erp", mode: "fail", status: 502, times: 1 });
    await injectFault({ target: "erp", mode: "reject", status: 422, times: 1 });

    expect(await statusesOf(3)).toEqual([502, 422, 201]);
  });

  it("leaves the other system and badly signed calls out of the count", async () => {
    await injectFault({ target: "erp", mode: "fail", status: 500, times: 1 });

    const oms = await sandbox.fetch(orderEventRequest("oms", buildOrderEvent()));
    const unsigned = await sandbox.fetch(
      orderEventRequest("erp", buildOrderEvent(), { secret: SECRETS.oms }),
    );

    expect(oms.status).toBe(201);
    expect(unsigned.status).toBe(401);
    expect(await statusesOf(2)).toEqual([500, 201]);
  });

  it.each([
    ["no target", { mode: "down" }],
    ["an unknown target", { target: "pim", mode: "down" }],
    ["an unknown mode", { target: "erp", mode: "explode" }],
    ["a reject status the hub reads as done", { target: "erp", mode: "reject", status: 409 }],
    ["a fail status that is not retryable", { target: "erp", mode: "fail", status: 404 }],
    ["latency without ms", { target: "erp", mode: "latency" }],
    ["zero times", { target: "erp", mode: "fail", times: 0 }],
    ["a zero rate", { target: "erp", mode: "fail", rate: 0 }],
    ["a rate above 1", { target: "erp", mode: "fail", rate: 1.5 }],
  ])("answers 400 invalid_fault for %s", async (_case, fault) => {
    const response = await injectFault(fault);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: "invalid_fault" });
    expect(systems.erp.faults.list()).toEqual([]);
  });
});
