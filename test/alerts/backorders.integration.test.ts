import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { resolveFilledBackorders } from "../../src/alerts/backorders";
import { raiseAlert } from "../../src/alerts/raise";
import { openDatabase } from "../../src/db/client";
import { toStockUpdate } from "../../src/inventory/operations";
import { freshSku, snapshot, stockOf } from "../support/inventory";
import { SHOP } from "../support/webhooks";

const db = openDatabase(env.DB);

/** A SKU with nothing on hand and one order line of 2 waiting for stock, with its ticket. */
async function backorderedLine(orderId: string) {
  const stock = stockOf(freshSku("BACK"));
  await stock.stub.applyUpdates(stock.key, [toStockUpdate(snapshot(stock.key.sku, 0, 1))]);
  const view = await stock.stub.reserve(stock.key, {
    orderId,
    lineId: "line-1",
    quantity: 2,
    expiresAt: null,
  });
  expect(view.backordered).toBe(2);
  const key = `backorder:${SHOP}:${stock.key.sku}:${view.reservationId}`;
  await raiseAlert(env, {
    kind: "backorder",
    severity: "ticket",
    key,
    shop: SHOP,
    detail: { sku: stock.key.sku, orderId, lineId: "line-1", backordered: 2 },
  });
  return { stock, key };
}

async function statusOf(key: string): Promise<unknown> {
  return env.DB.prepare("SELECT status FROM alerts WHERE dedupe_key = ?").bind(key).first("status");
}

describe("backorder tickets", () => {
  it("resolve once stock fills the line, and stay open while it still waits", async () => {
    const filled = await backorderedLine("order-filled");
    const waiting = await backorderedLine("order-waiting");

    expect(await resolveFilledBackorders(env, db)).not.toContain(filled.key);
    expect(await statusOf(filled.key)).toBe("open");

    await filled.stock.stub.applyUpdates(filled.stock.key, [
      toStockUpdate(snapshot(filled.stock.key.sku, 10, 2)),
    ]);
    const resolved = await resolveFilledBackorders(env, db);

    expect(resolved).toContain(filled.key);
    expect(resolved).not.toContain(waiting.key);
    expect(await statusOf(filled.key)).toBe("resolved");
    expect(await statusOf(waiting.key)).toBe("open");
  });

  it("resolve when the line is released before stock comes", async () => {
    const released = await backorderedLine("order-cancelled");
    await released.stock.stub.settle(released.stock.key, {
      orderId: "order-cancelled",
      lineId: "line-1",
      action: "release",
      source: "test",
    });

    expect(await resolveFilledBackorders(env, db)).toContain(released.key);
  });
});
