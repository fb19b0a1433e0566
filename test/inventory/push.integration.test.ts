import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { raiseAlert } from "../../src/alerts/raise";
import { toStockUpdate } from "../../src/inventory/operations";
import { parsePushQueueName } from "../../src/queues/dispatch";
import { consume } from "../support/consume";
import {
  freshSku,
  seedShopifyInventory,
  shopifyAvailable,
  shopifyCalls,
  snapshot,
  stockOf,
} from "../support/inventory";
import { installSandbox, type SandboxHandle } from "../support/sandbox";
import { SHOP } from "../support/webhooks";

let sandbox: SandboxHandle;
let nextLegacyId = 800_000;

beforeEach(() => {
  sandbox = installSandbox();
});

afterEach(() => {
  sandbox.restore();
});

/** SKUs stocked in the hub at WH1 and known to the Shopify stand-in, with `shown` there. */
async function stockedSkus(count: number, onHand: (index: number) => number, shown = 0) {
  const skus = Array.from({ length: count }, () => freshSku("PUSH"));
  await seedShopifyInventory({
    locations: [{ legacyResourceId: "71", name: "Main warehouse", code: "WH1" }],
    items: skus.map((sku) => {
      nextLegacyId += 1;
      return { legacyResourceId: String(nextLegacyId), sku, available: { "71": shown } };
    }),
  });
  await Promise.all(
    skus.map((sku, index) => {
      const { stub, key } = stockOf(sku);
      return stub.applyUpdates(key, [toStockUpdate(snapshot(sku, onHand(index), 1))]);
    }),
  );
  return skus;
}

function pushMessages(skus: string[]) {
  return skus.map((sku, index) => ({
    id: `push-${sku}`,
    attempts: 1,
    body: { version: 1, shop: SHOP, sku, changedAt: Date.now() - index },
  }));
}

describe("inventory push", () => {
  it("recognises the push queue and its dead-letter queue by name", () => {
    expect(parsePushQueueName("hub-inventory-push")).toEqual({ deadLetter: false });
    expect(parsePushQueueName("hub-prod-inventory-push-dlq")).toEqual({ deadLetter: true });
    expect(parsePushQueueName("hub-inventory")).toBeUndefined();
  });

  it.each([
    [1, 1],
    [250, 1],
    [251, 2],
  ])(
    "sends %i changed SKUs in %i inventorySetQuantities mutations",
    async (count, mutations) => {
      const skus = await stockedSkus(count, (index) => index + 1);

      const result = await consume("hub-inventory-push", pushMessages(skus));

      expect(result.explicitAcks).toHaveLength(count);
      const calls = await shopifyCalls("InventorySetAvailable");
      expect(calls).toHaveLength(mutations);
      const shown = await shopifyAvailable();
      expect(skus.map((sku) => shown.get(`${sku}@Main warehouse`))).toEqual(
        skus.map((_s, i) => i + 1),
      );
      const input = calls[0]?.variables.input as { name: string; reason: string };
      expect(input).toMatchObject({ name: "available", reason: "correction" });
      expect(calls[0]?.variables.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    },
    30_000,
  );

  it("sends changeFromQuantity from the last confirmed value and skips SKUs already in step", async () => {
    const [sku = ""] = await stockedSkus(1, () => 10);
    const { stub, key } = stockOf(sku);
    await consume("hub-inventory-push", pushMessages([sku]));

    await stub.reserve(key, { orderId: "1", lineId: "1", quantity: 3, expiresAt: null });
    await consume("hub-inventory-push", pushMessages([sku]));
    await consume("hub-inventory-push", pushMessages([sku]));

    const quantities = (await shopifyCalls("InventorySetAvailable")).map(
      (call) => (call.variables.input as { quantities: unknown[] }).quantities[0],
    );
    expect(quantities).toEqual([
      // Nothing confirmed yet: the first push sets Shopify outright.
      expect.objectContaining({ quantity: 10, changeFromQuantity: null }),
      expect.objectContaining({ quantity: 7, changeFromQuantity: 10 }),
    ]);
    expect((await stub.view(key)).locations[0]?.shopifyAvailable).toBe(7);
  });

  it("applies a value that recurs (10 → 7 → 10 → 7) every time, not once per content", async () => {
    const [sku = ""] = await stockedSkus(1, () => 10);
    const { stub, key } = stockOf(sku);
    const order = (id: string) => ({ orderId: id, lineId: "1", quantity: 3, expiresAt: null });
    await consume("hub-inventory-push", pushMessages([sku]));

    await stub.reserve(key, order("a"));
    await consume("hub-inventory-push", pushMessages([sku]));
    await stub.settle(key, { orderId: "a", lineId: "1", action: "release", source: "test" });
    await consume("hub-inventory-push", pushMessages([sku]));
    await stub.reserve(key, order("b"));
    await consume("hub-inventory-push", pushMessages([sku]));

    const shown = await shopifyAvailable();
    expect(shown.get(`${sku}@Main warehouse`)).toBe(7);
    const keys = (await shopifyCalls("InventorySetAvailable")).map(
      (call) => call.variables.idempotencyKey,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("re-reads Shopify after a stale compare-and-set and never pushes above what Shopify sold down to", async () => {
    const [sku = "", other = ""] = await stockedSkus(2, () => 10);
    await consume("hub-inventory-push", pushMessages([sku, other]));
    // Shopify sold 4 of `sku` that the hub has not heard of; the hub then gets more stock.
    const shown = await shopifyAvailable();
    expect(shown.get(`${sku}@Main warehouse`)).toBe(10);
    await seedShopifyInventory({
      items: [{ legacyResourceId: await legacyIdOf(sku), sku, available: { "71": 6 } }],
    });
    const { stub, key } = stockOf(sku);
    await stub.applyUpdates(key, [toStockUpdate(snapshot(sku, 12, 2))]);
    await stockOf(other).stub.applyUpdates(stockOf(other).key, [
      toStockUpdate(snapshot(other, 11, 2)),
    ]);

    const result = await consume("hub-inventory-push", pushMessages([sku, other]));

    expect(result.explicitAcks).toHaveLength(2);
    expect(await shopifyCalls("InventoryAvailable")).toHaveLength(1);
    const after = await shopifyAvailable();
    expect(after.get(`${sku}@Main warehouse`)).toBe(6);
    expect(after.get(`${other}@Main warehouse`)).toBe(11);
  });

  it("raises a ticket for a SKU Shopify does not know and still pushes the rest", async () => {
    const [known = ""] = await stockedSkus(1, () => 5);
    const unknown = freshSku("NOPE");
    await stockOf(unknown).stub.applyUpdates(stockOf(unknown).key, [
      toStockUpdate(snapshot(unknown, 3, 1)),
    ]);

    const result = await consume("hub-inventory-push", pushMessages([known, unknown]));

    expect(result.explicitAcks).toHaveLength(2);
    expect((await shopifyAvailable()).get(`${known}@Main warehouse`)).toBe(5);
    const alert = await env.DB.prepare(
      "SELECT kind, severity, detail FROM alerts WHERE dedupe_key = ?",
    )
      .bind(`unmapped_sku:${SHOP}:${unknown}`)
      .first();
    expect(alert).toMatchObject({ kind: "unmapped_sku", severity: "ticket" });

    // The SKU is created in Shopify: the next push maps it and clears the ticket.
    nextLegacyId += 1;
    await seedShopifyInventory({
      items: [{ legacyResourceId: String(nextLegacyId), sku: unknown, available: { "71": 0 } }],
    });
    await consume("hub-inventory-push", pushMessages([unknown]));
    expect((await shopifyAvailable()).get(`${unknown}@Main warehouse`)).toBe(3);
    expect(await alertStatus(`unmapped_sku:${SHOP}:${unknown}`)).toBe("resolved");
  });

  it("clears a SKU's push_failed ticket once a push for it goes through", async () => {
    const [sku = ""] = await stockedSkus(1, () => 4);
    await raiseAlert(env, {
      kind: "push_failed",
      severity: "ticket",
      key: `push_failed:${SHOP}:${sku}`,
      shop: SHOP,
      detail: { sku, code: "shopify_unavailable" },
    });

    const result = await consume("hub-inventory-push", pushMessages([sku]));

    expect(result.explicitAcks).toHaveLength(1);
    expect(await alertStatus(`push_failed:${SHOP}:${sku}`)).toBe("resolved");
  });

  it("retries the shop's messages when Shopify is down", async () => {
    const skus = await stockedSkus(2, () => 1);
    await fetch("http://sandbox.test/shopify/_control/faults", {
      method: "POST",
      body: JSON.stringify({ serverError: 5 }),
      headers: { "content-type": "application/json" },
    });

    const result = await consume("hub-inventory-push", pushMessages(skus));

    expect(result.retryMessages).toHaveLength(2);
  });
});

async function alertStatus(key: string): Promise<unknown> {
  return env.DB.prepare("SELECT status FROM alerts WHERE dedupe_key = ?").bind(key).first("status");
}

async function legacyIdOf(sku: string): Promise<string> {
  const response = await fetch(`http://sandbox.test/shopify/_control/inventory/${SHOP}`);
  const body = (await response.json()) as { levels: { sku: string; inventoryItemId: string }[] };
  const level = body.levels.find((entry) => entry.sku === sku);
  if (!level) throw new Error(`${sku} is not in the stand-in`);
  return level.inventoryItemId.split("/").pop() ?? "";
}
