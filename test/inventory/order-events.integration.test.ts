import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import fulfillment from "../../samples/webhooks/fulfillments-create.json";
import d2cOrder from "../../samples/webhooks/orders-create-d2c.json";
import { loadSettings } from "../../src/config/settings";
import { toStockUpdate } from "../../src/inventory/operations";
import type { Envelope } from "../../src/queues/envelope";
import { consume } from "../support/consume";
import { freshSku, snapshot, stockOf } from "../support/inventory";
import { message, newOrderId, orderEnvelope } from "../support/orders";

/** An order for fresh SKUs (10 in stock each) as the ingress puts it on the inventory queue. */
async function order(overrides: Record<string, unknown> = {}, quantities = [1, 2]) {
  const orderId = newOrderId();
  const skus = quantities.map(() => freshSku("ORD"));
  await Promise.all(
    skus.map((sku) =>
      stockOf(sku).stub.applyUpdates(stockOf(sku).key, [toStockUpdate(snapshot(sku, 10, 1))]),
    ),
  );
  const payload = {
    ...d2cOrder,
    id: Number(orderId),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    line_items: d2cOrder.line_items.slice(0, quantities.length).map((line, index) => ({
      ...line,
      sku: skus[index],
      quantity: quantities[index],
    })),
    ...overrides,
  };
  return { orderId, skus, payload };
}

function inventoryEnvelope(topic: string, payload: Record<string, unknown>): Envelope {
  return { ...orderEnvelope(topic, payload), domain: "inventory" };
}

async function deliver(topic: string, payload: Record<string, unknown>) {
  return consume("hub-inventory", [message(inventoryEnvelope(topic, payload))]);
}

async function reservedOf(sku: string) {
  return (await stockOf(sku).stub.view(stockOf(sku).key)).totals;
}

describe("inventory queue: order webhooks", () => {
  it("carries the webhook's trace into the stock object and on to its push", async () => {
    const { skus, payload } = await order({}, [1]);
    const stock = stockOf(skus[0] ?? "");
    // Close the debounce window the seeding snapshot opened, so the order opens the next.
    await runInDurableObject(stock.stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE meta SET push_due_at = NULL");
      state.storage.sql.exec("DELETE FROM push_trace");
    });

    const envelope = inventoryEnvelope("orders/create", payload);
    await consume("hub-inventory", [message(envelope)]);

    const traceparent = await runInDurableObject(stock.stub, (_instance, state) =>
      state.storage.sql.exec<{ traceparent: string }>("SELECT traceparent FROM push_trace").one(),
    );
    const envelopeTraceId = envelope.traceparent?.split("-")[1];
    expect(envelopeTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceparent.traceparent.split("-")[1]).toBe(envelopeTraceId);
  });

  it("reserves each line of a created order once, however often it arrives", async () => {
    const { skus, payload } = await order();

    const first = await deliver("orders/create", payload);
    await deliver("orders/create", payload);
    await deliver("orders/updated", payload);

    expect(first.explicitAcks).toHaveLength(1);
    expect(await reservedOf(skus[0] ?? "")).toMatchObject({ reserved: 1, available: 9 });
    expect(await reservedOf(skus[1] ?? "")).toMatchObject({ reserved: 2, available: 8 });
  });

  it("gives an unpaid order's hold a TTL from its creation, and drops the TTL once paid", async () => {
    const { orderId, skus, payload } = await order({
      financial_status: "pending",
      payment_terms: null,
    });
    const { stub, key } = stockOf(skus[0] ?? "");
    const lineId = String(d2cOrder.line_items[0]?.id);

    await deliver("orders/create", payload);
    const pending = await stub.reserve(key, { orderId, lineId, quantity: 1, expiresAt: 0 });
    await deliver("orders/updated", { ...payload, financial_status: "paid" });
    const paid = await stub.reserve(key, { orderId, lineId, quantity: 1, expiresAt: 0 });

    const ttlMs = loadSettings(env).INVENTORY_RESERVATION_TTL_SECONDS * 1000;
    expect(pending).toMatchObject({ status: "pending", outcome: "duplicate" });
    expect(Date.parse(pending.expiresAt ?? "")).toBe(Date.parse(d2cOrder.created_at) + ttlMs);
    expect(paid).toMatchObject({ status: "held", expiresAt: null });
  });

  it("releases a cancelled order, also when the cancellation arrives first", async () => {
    const { skus, payload } = await order();
    const cancelled = { ...payload, cancelled_at: "2026-12-01T16:00:00Z" };

    await deliver("orders/cancelled", cancelled);
    await deliver("orders/create", payload);

    expect(await reservedOf(skus[0] ?? "")).toMatchObject({ reserved: 0, available: 10 });
  });

  it("commits lines on a successful fulfilment and skips lines without a SKU", async () => {
    const { orderId, skus, payload } = await order({}, [1, 2]);
    await deliver("orders/create", payload);
    const shipment = {
      ...fulfillment,
      order_id: Number(orderId),
      line_items: fulfillment.line_items.map((line, index) => ({
        ...line,
        sku: index === 0 ? skus[0] : null,
      })),
    };

    const result = await deliver("fulfillments/create", shipment);

    expect(result.explicitAcks).toHaveLength(1);
    expect(await reservedOf(skus[0] ?? "")).toMatchObject({ onHand: 9, reserved: 0, available: 9 });
    expect(await reservedOf(skus[1] ?? "")).toMatchObject({ onHand: 10, reserved: 2 });
  });

  it("backorders what Shopify sold beyond the stock and raises a ticket", async () => {
    const { orderId, skus, payload } = await order({}, [14]);

    const result = await deliver("orders/create", payload);

    expect(result.explicitAcks).toHaveLength(1);
    expect(await reservedOf(skus[0] ?? "")).toMatchObject({ reserved: 10, available: 0 });
    const lineId = String(d2cOrder.line_items[0]?.id);
    const alert = await env.DB.prepare(
      "SELECT kind, severity, detail FROM alerts WHERE dedupe_key = ?",
    )
      .bind(`backorder:test-shop.myshopify.com:${skus[0]}:${orderId}:${lineId}`)
      .first<{ kind: string; severity: string; detail: string }>();
    expect(alert).toMatchObject({ kind: "backorder", severity: "ticket" });
    expect(JSON.parse(alert?.detail ?? "{}")).toMatchObject({ backordered: 4, quantity: 14 });
  });

  it("parks a payload that is not an order as a dead letter", async () => {
    const result = await deliver("orders/create", { id: 1 });

    expect(result.explicitAcks).toHaveLength(1);
    const parked = await env.DB.prepare(
      "SELECT error_code FROM dead_letters WHERE domain = 'inventory' ORDER BY created_at DESC LIMIT 1",
    ).first();
    expect(parked).toMatchObject({ error_code: "invalid_order_payload" });
  });
});
