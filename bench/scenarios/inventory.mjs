import {
  BENCH_ADMIN_TOKENS,
  BENCH_OMS_SIGNING_SECRET,
  BENCH_SHOP,
  BENCH_SHOPIFY_ADMIN_TOKENS,
} from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { readHubConfig } from "../lib/hub-config.mjs";
import { hubTarget } from "../targets/hub-worker.mjs";
import { startSandbox } from "../targets/sandbox.mjs";
import {
  hotSkuState,
  reserveByConfirmations,
  reserveByWebhooks,
  stockHotSku,
} from "./inventory.hot-sku.mjs";
import { readInventoryOptions } from "./inventory.options.mjs";
import { propagateRound } from "./inventory.propagation.mjs";
import { BENCH_LOCATION, propagationSkus, seedInventory } from "./inventory.setup.mjs";
import { inventoryProblems, inventoryTables, inventoryVerdicts } from "./inventory.tables.mjs";

// The bench operator's token reads the hot SKU's state (`GET /v1/inventory/:sku`).
const BENCH_ADMIN_TOKEN = JSON.parse(BENCH_ADMIN_TOKENS)[0].token;

/**
 * Inventory: reservations per second on one hot SKU, through the real paths (order
 * webhooks → inventory queue → the SKU's object; signed OMS confirmations straight to the
 * object), and ATS propagation for many SKUs updated at once (OMS batch → objects →
 * debounce → push queue → `inventorySetQuantities` at the Shopify stand-in), p50/p95/p99.
 * One hub and one sandbox for every phase; the order export is switched off (no ERP or
 * OMS URL), so the orders consumer only records each order.
 */
export const inventory = {
  name: "inventory",
  title: "Inventory (hot-SKU reservations; ATS propagation OMS batch → Shopify mutation)",

  /** @param {import("../lib/options.mjs").BenchOptions} options */
  async run(options) {
    const own = readInventoryOptions(readHubConfig().vars);
    const skus = propagationSkus(own.skus);

    progress("inventory: starting the sandbox and the hub");
    const sandbox = await startSandbox();
    let hub;
    try {
      hub = await hubTarget({
        config: readHubConfig(),
        logLevel: options.hubLogLevel,
        bindings: hubBindings(sandbox.url, own.debounceMs),
      }).start();
      await seedInventory({ sandbox, db: hub.db, skus });
      await stockHotSku(hub.url);

      const reservations = [
        await reserveByWebhooks({
          hub,
          adminToken: BENCH_ADMIN_TOKEN,
          count: own.orders,
          connections: options.connections,
          capSeconds: own.capSeconds,
        }),
        await reserveByConfirmations({
          hub,
          adminToken: BENCH_ADMIN_TOKEN,
          count: own.orders,
          capSeconds: own.capSeconds,
        }),
      ];
      const hotSku = await hotSkuState(hub.url, BENCH_ADMIN_TOKEN);

      const rounds = [];
      const line = (sku, fields) => ({ sku, locationId: BENCH_LOCATION.code, ...fields });
      rounds.push(
        await propagateRound({
          hub,
          sandbox,
          skus,
          round: { id: "first", label: "first sync (snapshot)" },
          lines: (sku, index) => line(sku, { kind: "snapshot", onHand: 100 + index, sequence: 1 }),
          expected: (index) => 100 + index,
          capSeconds: own.capSeconds,
        }),
      );
      rounds.push(
        await propagateRound({
          hub,
          sandbox,
          skus,
          round: { id: "update", label: "update (delta −3)" },
          lines: (sku) => line(sku, { kind: "delta", delta: -3, sequence: 2 }),
          expected: (index) => 97 + index,
          capSeconds: own.capSeconds,
        }),
      );

      const observed = { reservations, rounds, hotSku };
      return {
        name: this.name,
        title: this.title,
        settings: {
          shop: BENCH_SHOP,
          hotSkuOrders: own.orders,
          senders: options.connections,
          propagationSkus: own.skus,
          INVENTORY_PUSH_DEBOUNCE_MS: own.debounceMs,
          capSeconds: own.capSeconds,
        },
        tables: inventoryTables(observed),
        targets: [
          {
            id: "hub",
            label: "hub (workerd)",
            problems: inventoryProblems(observed),
            details: { hotSku, hubLogs: hub.logs.summary() },
          },
        ],
        reservations,
        rounds,
        verdicts: inventoryVerdicts(observed),
      };
    } finally {
      await hub?.stop();
      await sandbox.stop();
    }
  },
};

/** Shopify points at the sandbox's stand-in; no ERP or OMS to export orders to. */
function hubBindings(sandboxUrl, debounceMs) {
  return {
    ERP_URL: "",
    OMS_URL: "",
    SHOPIFY_ADMIN_URL: `${new URL("shopify", sandboxUrl)}/{shop}`,
    OMS_SIGNING_SECRET: BENCH_OMS_SIGNING_SECRET,
    SHOPIFY_ADMIN_TOKENS: BENCH_SHOPIFY_ADMIN_TOKENS,
    INVENTORY_PUSH_DEBOUNCE_MS: String(debounceMs),
  };
}
