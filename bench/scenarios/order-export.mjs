import {
  BENCH_ERP_SIGNING_SECRET,
  BENCH_OMS_SIGNING_SECRET,
  BENCH_SHOP,
  BENCH_SHOPIFY_ADMIN_TOKENS,
} from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { readHubConfig } from "../lib/hub-config.mjs";
import { hubTarget } from "../targets/hub-worker.mjs";
import { startSandbox } from "../targets/sandbox.mjs";
import { runPhase } from "./order-export.phase.mjs";
import { summarisePhase } from "./order-export.summary.mjs";
import { orderExportTables, orderExportVerdicts } from "./order-export.tables.mjs";

// The hub's retry policy for the run: its delays are whole seconds, so 1 s is the smallest
// base; wrangler.toml's 2 s would stretch the failure phase's tail past the bench's time
// budget without showing anything new. Everything else is wrangler.toml's.
const BENCH_RETRY_BASE_SECONDS = "1";

/**
 * Order export end to end: each order's `orders/create` webhook → the hub's ingress →
 * orders queue → the sandbox ERP and OMS → the reference written back to the Shopify
 * stand-in. Three phases, one after the other on the same hub and sandbox: orders arriving
 * at a steady rate the hub keeps up with (export lag is then the hub's own latency), all
 * orders at once with healthy connectors (lag is mostly the backlog; throughput is the
 * number), and all at once with the ERP failing a random share of calls with 503, which
 * the hub must ride out with retries. In every phase each order is exported once, none
 * lost, none dead-lettered. Each phase has its own order ids and starts with the sandbox
 * emptied.
 *
 * Side by side on two stacks the phases took as long in total here: the hub's consumer is
 * CPU-bound, and a 2-core machine halves each stack's throughput.
 */
export const orderExport = {
  name: "order-export",
  title: "Order export (orders/create → queue → sandbox ERP + OMS → write-back to Shopify)",

  /** @param {import("../lib/options.mjs").BenchOptions} options */
  async run(options) {
    const phases = [
      {
        id: "steady",
        label: `steady ${options.orderRate}/s`,
        failureRate: 0,
        firstId: 7_000_000_000_000,
        orderCount: options.steadyOrders,
        ratePerSecond: options.orderRate,
      },
      {
        id: "clean",
        label: "burst, no faults",
        failureRate: 0,
        firstId: 7_100_000_000_000,
        orderCount: options.orders,
      },
      {
        id: "erp-failures",
        label: `burst, ${Math.round(options.orderFailureRate * 100)}% ERP failures`,
        failureRate: options.orderFailureRate,
        firstId: 7_200_000_000_000,
        orderCount: options.orders,
      },
    ];

    const config = readHubConfig();
    progress("order export: starting the sandbox and the hub");
    const sandbox = await startSandbox();
    let hub;
    try {
      hub = await hubTarget({
        config,
        logLevel: options.hubLogLevel,
        bindings: sandboxBindings(sandbox.url),
      }).start();

      const summaries = [];
      for (const phase of phases) {
        hub.logs.reset();
        const observation = await runPhase({
          hub,
          sandbox,
          phase,
          connections: options.connections,
          drainCapSeconds: options.orderDrainCapSeconds,
        });
        summaries.push({ ...summarisePhase(observation), hubLogs: hub.logs.summary() });
      }
      return buildResult(this, { options, config, summaries });
    } finally {
      await hub?.stop();
      await sandbox.stop();
    }
  },
};

/** The hub's connectors and Shopify Admin API, pointed at the bench's sandbox. */
function sandboxBindings(sandboxUrl) {
  return {
    ERP_URL: new URL("erp", sandboxUrl).toString(),
    OMS_URL: new URL("oms", sandboxUrl).toString(),
    SHOPIFY_ADMIN_URL: `${new URL("shopify", sandboxUrl)}/{shop}`,
    ERP_SIGNING_SECRET: BENCH_ERP_SIGNING_SECRET,
    OMS_SIGNING_SECRET: BENCH_OMS_SIGNING_SECRET,
    SHOPIFY_ADMIN_TOKENS: BENCH_SHOPIFY_ADMIN_TOKENS,
    RETRY_BASE_SECONDS: BENCH_RETRY_BASE_SECONDS,
  };
}

function buildResult(scenario, { options, config, summaries }) {
  return {
    name: scenario.name,
    title: scenario.title,
    settings: {
      orders: options.orders,
      steadyOrders: `${options.steadyOrders} at ${options.orderRate}/s`,
      shop: BENCH_SHOP,
      senders: options.connections,
      erpFailureRate: options.orderFailureRate,
      architecture: config.vars.ORDER_ARCHITECTURE,
      retryBaseSeconds: Number(BENCH_RETRY_BASE_SECONDS),
      queueMaxAttempts: Number(config.vars.QUEUE_MAX_ATTEMPTS),
      drainCapSeconds: options.orderDrainCapSeconds,
    },
    tables: orderExportTables(summaries),
    // The report lists each phase's problems under its label.
    targets: summaries.map((summary) => ({
      id: summary.id,
      label: summary.label,
      problems: summary.problems,
      details: {
        repeatedKeysAtErp: summary.counts.repeatedKeysAtErp,
        ledgerExportedErp: summary.counts.ledgerExportedErp,
        drainSeconds: Number(summary.throughput.drainSeconds.toFixed(1)),
        writeBackPolls: summary.writeBackPolls,
        // Reported, not judged: retries warn by design, and other consumers of the same
        // webhooks (inventory reservations, say) warn about business conditions.
        hubLogLines: summary.hubLogs.lines,
        hubWarnings: summary.hubLogs.problems,
      },
    })),
    phases: summaries,
    verdicts: orderExportVerdicts(summaries),
  };
}
