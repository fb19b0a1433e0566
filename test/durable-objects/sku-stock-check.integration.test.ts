import { describe, expect, it } from "vitest";
import { toStockUpdate } from "../../src/inventory/operations";
import { delta, freshSku, snapshot, stockOf } from "../support/inventory";

describe("SkuStock.checkView and forgetConfirmed", () => {
  it("is null for an object that was never written", async () => {
    expect(await stockOf(freshSku("NEVER")).stub.checkView()).toBeNull();
  });

  it("keeps the last snapshot's on-hand beside the ATS that later deltas moved", async () => {
    const sku = freshSku("CHECK");
    const { stub, key } = stockOf(sku);
    await stub.applyUpdates(key, [
      toStockUpdate(snapshot(sku, 20, 1)),
      toStockUpdate(delta(sku, -4, 2)),
      toStockUpdate(delta(sku, 7, 1, { locationId: "WH2" })),
    ]);

    expect(await stub.checkView()).toEqual({
      shop: key.shop,
      sku,
      locations: [
        { locationId: "WH1", available: 16, shopifyAvailable: null, omsSnapshot: 20 },
        { locationId: "WH2", available: 7, shopifyAvailable: null, omsSnapshot: null },
      ],
    });
  });

  it("forgets what Shopify confirmed so every location is in the next push plan", async () => {
    const sku = freshSku("FORGET");
    const { stub, key } = stockOf(sku);
    await stub.applyUpdates(key, [toStockUpdate(snapshot(sku, 5, 1))]);
    await stub.confirmPushed([{ locationId: "WH1", quantity: 5 }]);
    expect((await stub.pushPlan())?.quantities).toEqual([]);

    await stub.forgetConfirmed();

    expect((await stub.pushPlan())?.quantities).toEqual([
      { locationId: "WH1", available: 5, lastConfirmed: null },
    ]);
  });
});
