import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client";
import { orderExports } from "../../src/db/schema";
import { EnvelopeSchema } from "../../src/queues/envelope";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import { envWith, fetchWith, recordingQueue } from "../support/env";
import { freshShopifyOrder, message, orderPayload } from "../support/orders";
import type { SandboxHandle } from "../support/sandbox";
import { buildDelivery } from "../support/webhooks";

const TRACE_ID = "5c1e9a7d3b2f4e6a8c0d1e2f3a4b5c6d";
const INCOMING = `00-${TRACE_ID}-1a2b3c4d5e6f7a8b-01`;
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
});
afterEach(() => {
  sandbox.restore();
  vi.restoreAllMocks();
});

function logLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    try {
      lines.push(JSON.parse(String(line)));
    } catch {
      // Not one of the hub's JSON lines (a library's own output).
    }
  });
  return lines;
}

describe("trace propagation", () => {
  it("carries one trace id from the webhook through the consumer, the ERP call, the ledger and the Shopify write-back", async () => {
    const lines = logLines();
    const orderId = await freshShopifyOrder();
    const orders = recordingQueue(env.ORDERS_QUEUE);
    const ingressEnv = envWith({
      ORDERS_QUEUE: orders,
      INVENTORY_QUEUE: recordingQueue(env.INVENTORY_QUEUE),
    });

    const delivery = await buildDelivery(orderPayload(orderId), {
      topic: "orders/create",
      headers: { traceparent: INCOMING },
    });
    const response = await fetchWith(ingressEnv, delivery);
    expect(response.status).toBe(202);
    expect(response.headers.get("traceparent")).toContain(TRACE_ID);

    const envelope = EnvelopeSchema.parse(orders.sent[0]);
    expect(envelope.traceparent).toContain(TRACE_ID);
    await consume("hub-orders", [message(envelope)]);

    const ingress = lines.find((line) => line.msg === "webhook enqueued");
    const consumer = lines.find((line) => line.msg === "order effect sent");
    expect(ingress?.traceId).toBe(TRACE_ID);
    expect(consumer?.traceId).toBe(TRACE_ID);

    const erpCall = sandbox.calls("erp").find((call) => call.orderId === orderId);
    expect(erpCall?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    // A child span: same trace, its own span id.
    expect(erpCall?.traceparent).not.toBe(INCOMING);

    const [ledger] = await openDatabase(env.DB)
      .select()
      .from(orderExports)
      .where(eq(orderExports.orderId, orderId));
    expect(ledger?.traceId).toBe(TRACE_ID);

    const adminCalls = vi
      .mocked(globalThis.fetch)
      .mock.calls.map(([input, init]) => new Request(input, init))
      .filter((request) => request.url.includes("/graphql.json"));
    expect(adminCalls.length).toBeGreaterThan(0);
    for (const call of adminCalls) {
      expect(call.headers.get("traceparent")).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    }
  });
});
