import { afterEach, describe, expect, it, vi } from "vitest";
import { installSandbox, SANDBOX_ORIGIN, type SandboxHandle } from "../support/sandbox";
import { buildOrderEvent, orderEventRequest } from "./order-events";

let handle: SandboxHandle | undefined;

afterEach(() => {
  handle?.restore();
  handle = undefined;
  vi.unstubAllGlobals();
});

describe("installSandbox", () => {
  it("routes the isolate's fetch calls to http://sandbox.test to the sandbox", async () => {
    handle = installSandbox();
    const event = buildOrderEvent();

    const response = await fetch(orderEventRequest("erp", event));

    expect(response.status).toBe(201);
    expect(handle.orders("erp")).toMatchObject([
      { orderId: event.orderId, externalRef: "SO-1001" },
    ]);
    expect(handle.calls("erp")).toMatchObject([
      { idempotencyKey: event.idempotencyKey, status: 201 },
    ]);
  });

  it("accepts a URL and init as well as a Request", async () => {
    handle = installSandbox();

    const response = await fetch(new URL(`${SANDBOX_ORIGIN}/_control/orders?target=oms`), {
      method: "GET",
    });

    expect(await response.json()).toEqual({ target: "oms", orders: [] });
  });

  it("passes other URLs to the fetch it replaced", async () => {
    const seen: string[] = [];
    vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response("elsewhere");
    });
    handle = installSandbox();

    const response = await fetch("https://elsewhere.test/health");

    expect(await response.text()).toBe("elsewhere");
    expect(seen).toEqual(["https://elsewhere.test/health"]);
  });

  it("queues faults, reads them back and clears them", async () => {
    handle = installSandbox();

    handle.faults(
      { target: "erp", mode: "fail", status: 503, times: 1 },
      { target: "oms", mode: "reject", reason: "unknown SKU" },
    );
    const failed = await fetch(orderEventRequest("erp", buildOrderEvent()));

    expect(failed.status).toBe(503);
    expect(handle.queuedFaults("erp")).toEqual([]);
    expect(handle.queuedFaults("oms")).toHaveLength(1);
    handle.clearFaults();
    expect(handle.queuedFaults("oms")).toEqual([]);
  });

  it("rejects like fetch when the caller's signal aborts, while the sandbox still commits", async () => {
    handle = installSandbox();
    handle.faults({ target: "erp", mode: "latency", ms: 200, times: 1 });

    const slow = fetch(
      orderEventRequest("erp", buildOrderEvent(), { signal: AbortSignal.timeout(20) }),
    );

    await expect(slow).rejects.toThrow();
    await vi.waitFor(() => expect(handle?.orders("erp")).toHaveLength(1), { timeout: 2000 });
  });

  it("starts over on reset and gives the real fetch back on restore", async () => {
    const original = globalThis.fetch;
    handle = installSandbox();
    await fetch(orderEventRequest("oms", buildOrderEvent()));

    handle.reset();
    expect(handle.orders("oms")).toEqual([]);
    expect(handle.calls("oms")).toEqual([]);

    handle.restore();
    expect(globalThis.fetch).toBe(original);
  });
});
