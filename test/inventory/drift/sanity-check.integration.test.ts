import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { alerts, cronRuns, inventoryDrift, inventoryDriftRuns } from "../../../src/db/schema";
import { fireCron } from "../../cron/support";
import { shopifyAvailable, shopifyCalls, stockOf } from "../../support/inventory";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";
import { SHOP } from "../../support/webhooks";
import { forgetInventoryRecords, shopifyShows, syncedSkus } from "./support";

const CRON = "0 4 * * *";
const db = openDatabase(env.DB);
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = installSandbox();
  await forgetInventoryRecords();
});
afterEach(() => sandbox.restore());

async function latestRun() {
  const [run] = await db
    .select()
    .from(inventoryDriftRuns)
    .where(eq(inventoryDriftRuns.shop, SHOP))
    .orderBy(desc(inventoryDriftRuns.startedAt))
    .limit(1);
  return run;
}

function findingsOf(runId: string) {
  return db.select().from(inventoryDrift).where(eq(inventoryDrift.runId, runId));
}

function shown(sku: string) {
  return shopifyAvailable().then((levels) => levels.get(`${sku}@Main warehouse`));
}

describe("the nightly inventory sanity check", () => {
  it("records nothing and sends nothing for a shop where Shopify shows the hub's ATS", async () => {
    await syncedSkus(3, (index) => 10 + index);
    const mutationsBefore = (await shopifyCalls("InventorySetAvailable")).length;

    expect(await fireCron(CRON, env)).toBeUndefined();

    const run = await latestRun();
    expect(run).toMatchObject({ status: "succeeded", checked: 3, drifted: 0, tolerance: 5 });
    expect(await findingsOf(run?.id ?? "")).toEqual([]);
    expect(await shopifyCalls("InventorySetAvailable")).toHaveLength(mutationsBefore);
    expect(await shopifyCalls("InventoryLevelsAtLocation")).toHaveLength(1);
    const [job] = await db
      .select()
      .from(cronRuns)
      .where(eq(cronRuns.job, "inventory-sanity-check"))
      .orderBy(desc(cronRuns.startedAt));
    expect(job?.status).toBe("succeeded");
  });

  it("pushes the hub's ATS over a drift within the tolerance and records it", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 13);

    expect(await fireCron(CRON, env)).toBeUndefined();

    expect(await shown(item.sku)).toBe(10);
    const run = await latestRun();
    expect(run).toMatchObject({ checked: 1, drifted: 1, corrected: 1, alerted: 0 });
    expect(await findingsOf(run?.id ?? "")).toEqual([
      expect.objectContaining({
        sku: item.sku,
        locationId: "WH1",
        shopify: 13,
        hub: 10,
        omsSnapshot: 10,
        drift: 3,
        action: "corrected",
      }),
    ]);
    const [pushed] = (await shopifyCalls("InventorySetAvailable")).slice(-1);
    expect(pushed?.variables.input).toMatchObject({
      quantities: [expect.objectContaining({ quantity: 10, changeFromQuantity: 13 })],
    });
    expect(await db.select().from(alerts)).toEqual([]);
    expect((await stockOf(item.sku).stub.view(stockOf(item.sku).key)).locations[0]).toMatchObject({
      available: 10,
      shopifyAvailable: 10,
    });
  });

  it("raises a ticket above the tolerance and leaves Shopify alone", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 30);
    const mutationsBefore = (await shopifyCalls("InventorySetAvailable")).length;

    expect(await fireCron(CRON, env)).toBeUndefined();

    expect(await shown(item.sku)).toBe(30);
    expect(await shopifyCalls("InventorySetAvailable")).toHaveLength(mutationsBefore);
    const run = await latestRun();
    expect(await findingsOf(run?.id ?? "")).toEqual([
      expect.objectContaining({ shopify: 30, hub: 10, drift: 20, action: "alerted" }),
    ]);
    const [alert] = await db.select().from(alerts);
    expect(alert).toMatchObject({
      kind: "reconciliation_drift",
      severity: "ticket",
      dedupeKey: `inventory_drift:${SHOP}:${item.sku}:WH1`,
      shop: SHOP,
    });
    expect(JSON.parse(alert?.detail ?? "{}")).toMatchObject({ runId: run?.id, drift: 20 });
  });

  it("alerts on every drift when the tolerance is 0", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 11);

    expect(await fireCron(CRON, { ...env, INVENTORY_DRIFT_TOLERANCE: "0" })).toBeUndefined();

    expect(await shown(item.sku)).toBe(11);
    const run = await latestRun();
    expect(run).toMatchObject({ tolerance: 0, corrected: 0, alerted: 1 });
  });

  it("pushes an owed change when Shopify still shows the hub's last push", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");
    const { stub, key } = stockOf(item.sku);
    // Far beyond the tolerance, but the hub's own change: its debounced push has not gone yet.
    await stub.reserve(key, { orderId: "5001", lineId: "1", quantity: 9, expiresAt: null });

    expect(await fireCron(CRON, env)).toBeUndefined();

    expect(await shown(item.sku)).toBe(1);
    const run = await latestRun();
    expect(await findingsOf(run?.id ?? "")).toEqual([
      expect.objectContaining({ shopify: 10, hub: 1, drift: 9, action: "push_owed" }),
    ]);
    expect(await db.select().from(alerts)).toEqual([]);
  });

  it("corrects once and tickets once when it runs twice", async () => {
    const [small, large] = await syncedSkus(2, () => 10);
    if (!small || !large) throw new Error("no SKUs");
    await shopifyShows(small, 8);
    await shopifyShows(large, 50);

    expect(await fireCron(CRON, env)).toBeUndefined();
    const mutationsAfterFirst = (await shopifyCalls("InventorySetAvailable")).length;
    expect(await fireCron(CRON, env)).toBeUndefined();

    expect(await shopifyCalls("InventorySetAvailable")).toHaveLength(mutationsAfterFirst);
    expect(await shown(small.sku)).toBe(10);
    expect(await shown(large.sku)).toBe(50);
    const second = await latestRun();
    expect(second).toMatchObject({ checked: 2, drifted: 1, corrected: 0, alerted: 1 });
    const tickets = await db.select().from(alerts);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ occurrences: 2, status: "open" });
  });

  it("resolves a pair's ticket once a later run finds the pair in step", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 40);
    expect(await fireCron(CRON, env)).toBeUndefined();

    await shopifyShows(item, 10);
    expect(await fireCron(CRON, env)).toBeUndefined();

    const [ticket] = await db.select().from(alerts);
    expect(ticket).toMatchObject({ status: "resolved", occurrences: 1 });
    expect(await latestRun()).toMatchObject({ drifted: 0 });
  });

  it("applies the same correction again when the same drift comes back on a later night", async () => {
    const [item] = await syncedSkus(1, () => 10);
    if (!item) throw new Error("no SKU");

    await shopifyShows(item, 13);
    expect(await fireCron(CRON, env)).toBeUndefined();
    await shopifyShows(item, 13);
    expect(await fireCron(CRON, env)).toBeUndefined();

    // Same numbers both nights: a content-only idempotency key would be replayed, not applied.
    expect(await shown(item.sku)).toBe(10);
    expect(await latestRun()).toMatchObject({ drifted: 1, corrected: 1 });
  });

  it("records the run as failed when Shopify cannot be read", async () => {
    await syncedSkus(1, () => 10);
    await fetch("http://sandbox.test/shopify/_control/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ serverError: 10 }),
    });

    const error = await fireCron(CRON, env);

    expect(error).toBeInstanceOf(Error);
    expect(await latestRun()).toMatchObject({ status: "failed", error: expect.any(String) });
  });
});
