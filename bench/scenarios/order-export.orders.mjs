import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_DIR } from "../lib/paths.mjs";
import { signedWebhookRequest } from "../lib/shopify-webhook.mjs";

const SAMPLE_PATH = join(ROOT_DIR, "samples", "webhooks", "orders-create-b2b.json");
// Order names start here, like a shop that has taken its first hundred thousand orders.
const FIRST_ORDER_NUMBER = 100_001;
// Far beyond any sane answer; a hung hub shows up as failed sends, not a hung bench.
const SEND_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} BenchOrder
 * @property {string} orderId  Shopify's numeric id, as a string
 * @property {string} name     "#100001"
 * @property {Buffer} body     the orders/create payload, as Shopify would sign it
 *
 * @typedef {object} Delivery
 * @property {string} orderId
 * @property {number} postedAt    epoch ms just before the POST; also its X-Shopify-Triggered-At
 * @property {number} answeredAt  epoch ms when the answer (or the error) arrived
 * @property {number} status      HTTP status, 0 when the request itself failed
 * @property {string} [error]
 */

/**
 * `count` distinct B2B orders: the sample `orders/create` payload with its id, GID, name
 * and order number changed. Ids are `firstId`, `firstId + 1`, …; keep them the same number
 * of digits so a text range (`BETWEEN`) in D1 selects exactly one phase's orders.
 * @returns {BenchOrder[]}
 */
export function buildOrders({ count, firstId }) {
  const sample = JSON.parse(readFileSync(SAMPLE_PATH, "utf8"));

  return Array.from({ length: count }, (_, index) => {
    const id = firstId + index;
    const number = FIRST_ORDER_NUMBER + index;
    const order = {
      ...sample,
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${number}`,
      order_number: number,
    };
    return { orderId: String(id), name: `#${number}`, body: Buffer.from(JSON.stringify(order)) };
  });
}

/**
 * POSTs every order once to `/webhooks/shopify`, signed as Shopify signs it, from
 * `connections` concurrent senders (each sends its next order when the last is answered),
 * and records when each went out and how it was answered. With `ratePerSecond`, order i
 * goes out no earlier than i / rate seconds after the first: a steady arrival rate instead
 * of a burst. Never throws for a failed send: the scenario counts those.
 * @returns {Promise<Delivery[]>}
 */
export async function sendOrders({ url, orders, connections, shop, secret, ratePerSecond }) {
  const deliveries = [];
  const startedAt = Date.now();
  let next = 0;

  async function sender() {
    while (next < orders.length) {
      const index = next;
      next += 1;
      if (ratePerSecond) {
        const due = startedAt + (index * 1000) / ratePerSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      deliveries.push(await deliver(url, orders[index], { shop, secret }));
    }
  }

  await Promise.all(Array.from({ length: Math.min(connections, orders.length) }, sender));
  return deliveries;
}

async function deliver(url, order, { shop, secret }) {
  const request = signedWebhookRequest({ topic: "orders/create", shop, secret, body: order.body });
  const { headers } = request.setupRequest({ headers: { ...request.headers } });
  const postedAt = Date.now();
  // The trigger time is what the hub's ledger measures lag from: make it the send time.
  headers["X-Shopify-Triggered-At"] = new Date(postedAt).toISOString();

  try {
    const response = await fetch(new URL(request.path, url), {
      method: request.method,
      headers,
      body: order.body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { orderId: order.orderId, postedAt, answeredAt: Date.now(), status: response.status };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { orderId: order.orderId, postedAt, answeredAt: Date.now(), status: 0, error: reason };
  }
}
