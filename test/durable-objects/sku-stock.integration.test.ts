import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SkuStock } from "../../src/durable-objects/sku-stock";
import { toStockUpdate } from "../../src/inventory/operations";
import { recordingQueue } from "../support/env";
import { delta, freshSku, snapshot, stockOf } from "../support/inventory";

type Stock = ReturnType<typeof stockOf>;

async function stocked(onHand: number, safetyStock = 0): Promise<Stock> {
  const stock = stockOf(freshSku());
  await stock.stub.applyUpdates(stock.key, [
    toStockUpdate(snapshot(stock.key.sku, onHand, 1, { safetyStock })),
  ]);
  return stock;
}

function reserveLine(
  stock: Stock,
  orderId: string,
  lineId: string,
  quantity = 1,
  expiresAt: number | null = null,
) {
  return stock.stub.reserve(stock.key, { orderId, lineId, quantity, expiresAt });
}

async function level(stock: Stock, locationId = "WH1") {
  const view = await stock.stub.view(stock.key);
  const found = view.locations.find((location) => location.locationId === locationId);
  if (!found) throw new Error(`no ${locationId} in ${JSON.stringify(view)}`);
  return found;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("SkuStock reservations", () => {
  it("gives exactly 50 of 200 concurrent one-unit reservations and never goes below zero", async () => {
    const stock = await stocked(60, 10);
    const seen: number[] = [];

    const views = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const view = await reserveLine(stock, "9001", String(index + 1));
        seen.push((await level(stock)).available);
        return view;
      }),
    );

    expect(views.filter((view) => view.allocated === 1)).toHaveLength(50);
    expect(views.filter((view) => view.backordered === 1)).toHaveLength(150);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    const final = await level(stock);
    expect(final).toMatchObject({ onHand: 60, reserved: 50, safetyStock: 10, available: 0 });
  });

  it("keeps on-hand = ATS + reserved + safety stock while ATS is positive", async () => {
    const stock = await stocked(30, 5);

    for (const line of ["1", "2", "3"]) {
      await reserveLine(stock, "9002", line, 4);
      const now = await level(stock);
      expect(now.available).toBeGreaterThan(0);
      expect(now.onHand).toBe(now.available + now.reserved + now.safetyStock);
    }
  });

  it("holds a line once however often its order arrives", async () => {
    const stock = await stocked(10);

    const first = await reserveLine(stock, "9003", "1", 3);
    const again = await reserveLine(stock, "9003", "1", 3);

    expect(first.outcome).toBe("applied");
    expect(again.outcome).toBe("duplicate");
    expect(await level(stock)).toMatchObject({ reserved: 3, available: 7 });
  });

  it("ignores an order that arrives after its cancellation", async () => {
    const stock = await stocked(10);

    const cancelled = await stock.stub.settle(stock.key, {
      orderId: "9004",
      lineId: "1",
      action: "release",
      source: "orders/cancelled",
    });
    const late = await reserveLine(stock, "9004", "1", 3);

    expect(cancelled.status).toBe("released");
    expect(late).toMatchObject({ status: "released", outcome: "duplicate", allocated: 0 });
    expect(await level(stock)).toMatchObject({ reserved: 0, available: 10 });
  });

  it("commits a fulfilled line out of on-hand and releases a cancelled one", async () => {
    const stock = await stocked(10);
    await reserveLine(stock, "9005", "1", 2);
    await reserveLine(stock, "9005", "2", 3);

    await stock.stub.settle(stock.key, {
      orderId: "9005",
      lineId: "1",
      action: "commit",
      source: "fulfillments/create",
    });
    await stock.stub.settle(stock.key, {
      orderId: "9005",
      lineId: "2",
      action: "release",
      source: "orders/cancelled",
    });

    expect(await level(stock)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  it("fills an open backorder first when stock arrives", async () => {
    const stock = await stocked(2);
    const short = await reserveLine(stock, "9006", "1", 5);
    expect(short).toMatchObject({ allocated: 2, backordered: 3 });

    await stock.stub.applyUpdates(stock.key, [toStockUpdate(delta(stock.key.sku, 10, 2))]);

    expect(await level(stock)).toMatchObject({ onHand: 12, reserved: 5, available: 7 });
    expect((await stock.stub.view(stock.key)).backordered).toBe(0);
  });

  it("adjusts a reservation to the quantity the OMS confirmed, once per confirmation", async () => {
    const stock = await stocked(10);
    await reserveLine(stock, "9007", "1", 6);

    const lower = await stock.stub.adjust(stock.key, {
      orderId: "9007",
      lineId: "1",
      quantity: 4,
      confirmationId: "c-1",
    });
    const repeat = await stock.stub.adjust(stock.key, {
      orderId: "9007",
      lineId: "1",
      quantity: 4,
      confirmationId: "c-1",
    });
    const higher = await stock.stub.adjust(stock.key, {
      orderId: "9007",
      lineId: "1",
      quantity: 12,
      confirmationId: "c-2",
    });

    expect(lower).toMatchObject({ quantity: 4, allocated: 4, outcome: "applied" });
    expect(repeat.outcome).toBe("duplicate");
    expect(higher).toMatchObject({ quantity: 12, allocated: 10, backordered: 2 });
    expect(await level(stock)).toMatchObject({ reserved: 10, available: 0 });
  });

  it("spreads a line over locations, most available first", async () => {
    const stock = stockOf(freshSku());
    await stock.stub.applyUpdates(stock.key, [
      toStockUpdate(snapshot(stock.key.sku, 3, 1, { locationId: "A" })),
      toStockUpdate(snapshot(stock.key.sku, 5, 1, { locationId: "B" })),
    ]);

    const view = await reserveLine(stock, "9008", "1", 7);

    expect(view).toMatchObject({ allocated: 7, backordered: 0 });
    expect(await level(stock, "B")).toMatchObject({ reserved: 5, available: 0 });
    expect(await level(stock, "A")).toMatchObject({ reserved: 2, available: 1 });
  });
});

describe("SkuStock OMS updates", () => {
  it("applies a duplicate line once and ignores lines older than the last snapshot", async () => {
    const stock = stockOf(freshSku());
    const sku = stock.key.sku;

    const outcomes = await stock.stub.applyUpdates(
      stock.key,
      [
        snapshot(sku, 10, 5),
        snapshot(sku, 10, 5),
        delta(sku, 3, 4),
        snapshot(sku, 99, 3),
        delta(sku, -2, 6),
      ].map(toStockUpdate),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "accepted",
      "duplicate",
      "ignored_stale",
      "ignored_stale",
      "accepted",
    ]);
    expect(await level(stock)).toMatchObject({ onHand: 8 });
  });

  it("applies reordered deltas once each and keeps them under an older snapshot that arrives late", async () => {
    const stock = stockOf(freshSku());
    const sku = stock.key.sku;

    await stock.stub.applyUpdates(stock.key, [toStockUpdate(delta(sku, 5, 12))]);
    await stock.stub.applyUpdates(stock.key, [toStockUpdate(delta(sku, 2, 11))]);
    await stock.stub.applyUpdates(stock.key, [toStockUpdate(snapshot(sku, 20, 10))]);
    const late = await stock.stub.applyUpdates(stock.key, [toStockUpdate(delta(sku, 2, 11))]);

    expect(late).toEqual([{ status: "duplicate" }]);
    // The snapshot at 10 plus the deltas after it (11 and 12).
    expect(await level(stock)).toMatchObject({ onHand: 27 });
  });

  it("orders by source timestamp and rejects mixing it with sequences at one location", async () => {
    const stock = stockOf(freshSku());
    const sku = stock.key.sku;
    const at = (iso: string) => ({ sequence: undefined, sourceTimestamp: iso });

    const outcomes = await stock.stub.applyUpdates(stock.key, [
      toStockUpdate(snapshot(sku, 10, 0, at("2026-12-01T10:00:00Z"))),
      toStockUpdate(snapshot(sku, 4, 0, at("2026-12-01T09:00:00Z"))),
      toStockUpdate(snapshot(sku, 7, 99)),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "accepted",
      "ignored_stale",
      "rejected",
    ]);
    expect(await level(stock)).toMatchObject({ onHand: 10 });
  });

  it("lets a snapshot race live reservations without overselling", async () => {
    const stock = await stocked(40);
    const sku = stock.key.sku;

    await Promise.all([
      ...Array.from({ length: 30 }, (_, index) => reserveLine(stock, "9010", String(index + 1))),
      stock.stub.applyUpdates(stock.key, [toStockUpdate(snapshot(sku, 20, 2))]),
    ]);

    const now = await level(stock);
    expect(now.onHand).toBe(20);
    expect(now.available).toBe(Math.max(0, 20 - now.reserved));
    expect(now.reserved).toBeLessThanOrEqual(30);
  });
});

describe("SkuStock alarm", () => {
  it("expires an unpaid reservation when the alarm fires late, and does nothing the second time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    const stock = await stocked(10);
    await reserveLine(stock, "9011", "1", 4, start + 60_000);
    await reserveLine(stock, "9011", "2", 1, null);

    vi.setSystemTime(start + 10 * 60_000);
    expect(await runDurableObjectAlarm(stock.stub)).toBe(true);
    const afterFirst = await level(stock);
    // Firing twice (at-least-once delivery) changes nothing more.
    await runInDurableObject(stock.stub, (instance: SkuStock) => instance.alarm());
    const afterSecond = await level(stock);

    expect(afterFirst).toMatchObject({ reserved: 1, available: 9 });
    expect(afterSecond).toEqual(afterFirst);
  });

  it("keeps a reservation whose order was paid before it expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    const stock = await stocked(10);
    await reserveLine(stock, "9012", "1", 4, start + 60_000);
    const paid = await reserveLine(stock, "9012", "1", 4, null);

    vi.setSystemTime(start + 10 * 60_000);
    await runDurableObjectAlarm(stock.stub);

    expect(paid).toMatchObject({ status: "held", expiresAt: null });
    expect(await level(stock)).toMatchObject({ reserved: 4 });
  });

  it("owes Shopify a push only once the debounce has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    const stock = await stocked(10);

    const early = await runInDurableObject(stock.stub, async (instance: SkuStock, state) => {
      await instance.alarm();
      return state.storage.sql.exec("SELECT push_due_at FROM meta").one();
    });
    vi.setSystemTime(start + 61_000);
    const due = await runInDurableObject(stock.stub, async (instance: SkuStock, state) => {
      await instance.alarm();
      return state.storage.sql.exec("SELECT push_due_at FROM meta").one();
    });

    expect(early.push_due_at).toBe(start + 60_000);
    expect(due.push_due_at).toBeNull();
    expect(await stock.stub.pushPlan()).toEqual({
      shop: stock.key.shop,
      sku: stock.key.sku,
      quantities: [{ locationId: "WH1", available: 10, lastConfirmed: null }],
    });
  });

  it("hands the trace of the change that opened the debounce window on to the push", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    const stock = stockOf(freshSku());
    const opener = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const later = "00-11111111111111111111111111111111-2222222222222222-01";
    await stock.stub.applyUpdates(
      stock.key,
      [toStockUpdate(snapshot(stock.key.sku, 10, 1))],
      opener,
    );
    await stock.stub.reserve(
      stock.key,
      { orderId: "o-1", lineId: "l-1", quantity: 1, expiresAt: null },
      later,
    );

    vi.setSystemTime(start + 61_000);
    const sent = await runInDurableObject(stock.stub, async (instance: SkuStock) => {
      const queue = recordingQueue(env.INVENTORY_PUSH_QUEUE);
      // The object reads its queue binding from `env` when the alarm sends.
      Object.assign(instance, { env: { ...env, INVENTORY_PUSH_QUEUE: queue } });
      await instance.alarm();
      return queue.sent;
    });

    expect(sent).toEqual([
      {
        version: 1,
        shop: stock.key.shop,
        sku: stock.key.sku,
        changedAt: start + 61_000,
        traceparent: opener,
      },
    ]);
  });
});
