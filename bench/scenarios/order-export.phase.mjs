import { BENCH_API_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { buildOrders, sendOrders } from "./order-export.orders.mjs";
import { waitForDrain, watchWriteBacks } from "./order-export.watch.mjs";

// A fixed past time for the seeded stand-in orders; a write-back tag moves it to "now".
const SEEDED_UPDATED_AT = "2026-12-01T15:14:03Z";

/**
 * @typedef {object} Phase
 * @property {string} id           "clean" or "erp-failures"
 * @property {string} label        what the tables show
 * @property {number} failureRate  share of ERP calls the sandbox fails with 503 (0: none)
 * @property {number} firstId      first Shopify order id of the phase (13 digits)
 * @property {number} orderCount   orders the phase sends
 * @property {number} [ratePerSecond]  a steady arrival rate; without it every order is
 *   sent at once (a burst)
 *
 * @typedef {object} PhaseObservation  everything measured, raw; order-export.summary.mjs
 *   turns it into numbers
 * @property {Phase} phase
 * @property {import("./order-export.orders.mjs").Delivery[]} deliveries
 * @property {{ erp: Map<string, number>, oms: Map<string, number> }} writeBacks
 * @property {number} writeBackPolls
 * @property {{ drained: boolean, seconds: number }} drain
 * @property {object[]} erpOrders   the sandbox ERP's stored orders of this phase
 * @property {object[]} erpCalls    every call the sandbox ERP answered for this phase
 * @property {object[]} ledger      the hub's order_targets rows for the ERP
 * @property {number} omsExported   order_targets rows for the OMS with status exported
 * @property {object[]} deadLetters the hub's dead letters for this phase's orders
 */

/**
 * One phase of the order-export scenario against a running hub and sandbox: empty the
 * sandbox, seed its stand-in with the phase's orders, inject the ERP faults, send every
 * order's `orders/create` webhook, wait for the hub to finish, then read what the sandbox
 * and the hub's ledger hold about this phase's orders.
 * @returns {Promise<PhaseObservation>}
 */
export async function runPhase({ hub, sandbox, phase, connections, drainCapSeconds }) {
  const orders = buildOrders({ count: phase.orderCount, firstId: phase.firstId });
  const range = [orders[0].orderId, orders[orders.length - 1].orderId];
  await prepareSandbox(sandbox, orders, phase.failureRate);

  const watch = watchWriteBacks(sandbox, BENCH_SHOP);
  progress(`${phase.label}: sending ${orders.length} orders/create webhooks`);
  const deliveries = await sendOrders({
    url: hub.url,
    orders,
    connections,
    ratePerSecond: phase.ratePerSecond,
    shop: BENCH_SHOP,
    secret: BENCH_API_SECRET,
  });

  const accepted = deliveries.filter(isAccepted).map((delivery) => delivery.orderId);
  progress(`${phase.label}: waiting up to ${drainCapSeconds} s for the hub to finish`);
  const drain = await waitForDrain({
    accepted,
    watch,
    deadLetteredOrders: async () =>
      new Set((await readDeadLetters(hub.db, range)).map((row) => row.order_id)),
    capSeconds: drainCapSeconds,
  });
  await watch.stop();
  await sandbox.control("/_control/faults", { method: "DELETE" });

  const inPhase = (orderId) => orderId !== null && orderId >= range[0] && orderId <= range[1];
  const [erpOrders, erpCalls, ledger, omsExported, deadLetters] = await Promise.all([
    sandbox.control("/_control/orders?target=erp").then(({ orders }) => orders),
    sandbox.control("/_control/calls?target=erp").then(({ calls }) => calls),
    readLedger(hub.db, "erp", range),
    countExported(hub.db, "oms", range),
    readDeadLetters(hub.db, range),
  ]);

  return {
    phase,
    deliveries,
    writeBacks: watch.seen,
    writeBackPolls: watch.polls(),
    drain,
    erpOrders: erpOrders.filter((order) => inPhase(order.orderId)),
    erpCalls: erpCalls.filter((call) => inPhase(call.orderId)),
    ledger,
    omsExported,
    deadLetters,
  };
}

/** 2xx: the hub took responsibility for the order. */
export function isAccepted(delivery) {
  return delivery.status >= 200 && delivery.status < 300;
}

async function prepareSandbox(sandbox, orders, failureRate) {
  // The previous phase's orders would only slow the stand-in reads down.
  await sandbox.control("/_control/reset", { method: "POST" });
  await sandbox.control("/shopify/_control/reset", { method: "POST" });
  await sandbox.control("/shopify/_control/seed", {
    method: "POST",
    body: {
      shop: BENCH_SHOP,
      orders: orders.map(({ orderId, name }) => ({
        legacyResourceId: orderId,
        name,
        updatedAt: SEEDED_UPDATED_AT,
      })),
    },
  });
  if (failureRate > 0) {
    await sandbox.control("/_control/faults", {
      method: "POST",
      body: { target: "erp", mode: "fail", status: 503, rate: failureRate },
    });
  }
}

async function readLedger(db, connector, [first, last]) {
  const { results } = await db
    .prepare(
      `SELECT order_id, status, lag_ms, attempts, exported_at, written_back_at
         FROM order_targets
        WHERE shop = ? AND connector = ? AND order_id BETWEEN ? AND ?`,
    )
    .bind(BENCH_SHOP, connector, first, last)
    .all();
  return results;
}

async function countExported(db, connector, [first, last]) {
  return db
    .prepare(
      `SELECT COUNT(*) AS count FROM order_targets
        WHERE shop = ? AND connector = ? AND status = 'exported' AND order_id BETWEEN ? AND ?`,
    )
    .bind(BENCH_SHOP, connector, first, last)
    .first("count");
}

async function readDeadLetters(db, [first, last]) {
  const { results } = await db
    .prepare(
      `SELECT order_id, error_class, error_code, attempts FROM dead_letters
        WHERE shop = ? AND order_id BETWEEN ? AND ?`,
    )
    .bind(BENCH_SHOP, first, last)
    .all();
  return results;
}
