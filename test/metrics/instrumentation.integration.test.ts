import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { d1MetricsReader } from "../../src/metrics/d1-reader";
import { EnvelopeSchema } from "../../src/queues/envelope";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import { envWith, fetchWith, recordingQueue } from "../support/env";
import { freshShopifyOrder, message, orderEnvelope, orderPayload } from "../support/orders";
import type { SandboxHandle } from "../support/sandbox";
import { buildDelivery, SHOP } from "../support/webhooks";

const reader = d1MetricsReader(openDatabase(env.DB));
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
});
afterEach(() => sandbox.restore());

async function count(
  name: Parameters<typeof reader.totals>[0]["name"],
  filter: Record<string, string>,
) {
  const totals = await reader.totals({
    name,
    since: Date.now() - 600_000,
    until: Date.now() + 60_000,
    filter,
  });
  return totals.count;
}

describe("instrumented call sites", () => {
  it("record webhook, queue, export, connector and Admin API metrics for one order", async () => {
    const orderId = await freshShopifyOrder();
    const orders = recordingQueue(env.ORDERS_QUEUE);
    const ingressEnv = envWith({
      ORDERS_QUEUE: orders,
      INVENTORY_QUEUE: recordingQueue(env.INVENTORY_QUEUE),
    });

    const delivery = await buildDelivery(orderPayload(orderId), { topic: "orders/create" });
    expect((await fetchWith(ingressEnv, delivery)).status).toBe(202);
    await consume("hub-orders", [message(EnvelopeSchema.parse(orders.sent[0]))]);

    expect(
      await count("webhook.latency", { outcome: "enqueued", topic: "orders/create", shop: SHOP }),
    ).toBe(1);
    expect(await count("queue.message", { domain: "orders", outcome: "acked" })).toBe(1);
    expect(await count("order.export.lag", { integration: "erp", effect: "create" })).toBe(1);
    expect(await count("order.export.outcome", { integration: "oms", outcome: "exported" })).toBe(
      1,
    );
    expect(await count("connector.call", { integration: "erp", outcome: "ok" })).toBe(1);
    expect(await count("shopify.admin.call", { shop: SHOP, outcome: "ok" })).toBeGreaterThan(0);
  });

  it("counts a failed export under its error class and the connector call as failed", async () => {
    const orderId = await freshShopifyOrder();
    sandbox.faults({ target: "erp", mode: "fail", status: 503, times: 1 });

    const envelope = orderEnvelope("orders/create", orderPayload(orderId));
    await consume("hub-orders", [message(envelope)]);

    expect(await count("order.export.outcome", { integration: "erp", outcome: "failed" })).toBe(1);
    expect(await count("connector.call", { integration: "erp", outcome: "failed" })).toBe(1);
    expect(await count("queue.message", { domain: "orders", outcome: "retried" })).toBe(1);
  });
});
