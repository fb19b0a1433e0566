// Watching an order-export phase from outside the hub: when each write-back shows up in
// the Shopify stand-in, and when the hub has finished (or given up on) every order.

/** How often the stand-in is read; also the resolution of the write-back times. */
export const WRITE_BACK_POLL_MS = 200;
const DEAD_LETTER_POLL_MS = 1_000;
const CONNECTORS = ["erp", "oms"];

/**
 * @typedef {object} WriteBackWatch
 * @property {{ erp: Map<string, number>, oms: Map<string, number> }} seen  order id → epoch
 *   ms of the first read that showed that connector's tag and metafield on the order
 * @property {() => number} polls  reads so far
 * @property {() => Promise<void>} stop
 */

/**
 * Reads the stand-in's orders every {@link WRITE_BACK_POLL_MS} and notes, per order and
 * connector, the first read that shows the write-back (`erp:SO-…` tag and the
 * `$app:edge_hub.erp_reference` metafield). A time is when that read's answer arrived, so
 * it can be late by up to one poll interval plus the read itself, never early.
 * @returns {WriteBackWatch}
 */
export function watchWriteBacks(sandbox, shop) {
  const seen = { erp: new Map(), oms: new Map() };
  let polls = 0;
  let stopped = false;

  const loop = (async () => {
    while (!stopped) {
      const { orders } = await sandbox.control(`/shopify/_control/orders/${shop}`);
      const readAt = Date.now();
      polls += 1;
      for (const order of orders) noteWriteBacks(order, readAt, seen);
      await sleep(WRITE_BACK_POLL_MS);
    }
  })();

  return {
    seen,
    polls: () => polls,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

function noteWriteBacks(order, readAt, seen) {
  for (const connector of CONNECTORS) {
    if (seen[connector].has(order.legacyResourceId)) continue;
    const tagged = order.tags.some((tag) => tag.startsWith(`${connector}:`));
    const metafield = order.metafields[`$app:edge_hub.${connector}_reference`];
    if (tagged && metafield) seen[connector].set(order.legacyResourceId, readAt);
  }
}

/**
 * Waits until every accepted order is written back for both connectors or parked as a
 * dead letter, or until `capSeconds` pass. Retries back off exponentially, so a quiet
 * spell is no sign of being stuck: only the cap ends an unfinished wait.
 * @returns {Promise<{ drained: boolean, seconds: number }>}
 */
export async function waitForDrain({ accepted, watch, deadLetteredOrders, capSeconds }) {
  const started = Date.now();
  let deadLettered = new Set();
  let checkedDeadLettersAt = 0;

  while (Date.now() - started < capSeconds * 1000) {
    if (Date.now() - checkedDeadLettersAt >= DEAD_LETTER_POLL_MS) {
      deadLettered = await deadLetteredOrders();
      checkedDeadLettersAt = Date.now();
    }
    const done = accepted.every(
      (orderId) =>
        deadLettered.has(orderId) ||
        CONNECTORS.every((connector) => watch.seen[connector].has(orderId)),
    );
    if (done) return { drained: true, seconds: (Date.now() - started) / 1000 };
    await sleep(WRITE_BACK_POLL_MS);
  }
  return { drained: false, seconds: (Date.now() - started) / 1000 };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
