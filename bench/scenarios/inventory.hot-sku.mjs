import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_API_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { ROOT_DIR } from "../lib/paths.mjs";
import { signedWebhookRequest } from "../lib/shopify-webhook.mjs";
import { BENCH_LOCATION, HOT_SKU, omsCall, readStock, sleep } from "./inventory.setup.mjs";

const SAMPLE_PATH = join(ROOT_DIR, "samples", "webhooks", "orders-create-b2b.json");
// Stock far beyond the orders: every order line is a reservation, none a backorder.
const HOT_ON_HAND = 1_000_000;
const FIRST_WEBHOOK_ORDER_ID = 7_300_000_000_000;
const FIRST_CONFIRMED_ORDER_ID = 7_400_000_000_000;
// A confirmation call's size and how many are in flight: the route fans each call out to
// the object 25 at a time, so 4 × 250 keeps the one object saturated.
const CONFIRMATIONS_PER_CALL = 250;
const CONFIRMATION_CALLS_IN_FLIGHT = 4;
const POLL_MS = 100;
const SEND_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} ReservationRun
 * @property {string} path        "webhooks" or "confirmations"
 * @property {number} asked       reservations sent
 * @property {number} answeredOk  2xx answers (webhooks) or `applied` results (confirmations)
 * @property {number} sendSeconds first POST → last answer
 * @property {number} reserved    reservations the object holds for this run at the end
 * @property {number} seconds     first POST → the last reservation visible in the object
 * @property {number | null} steadyPerSecond  reservations/s between 10% and 90% done
 * @property {boolean} finished
 */

/** Gives the hot SKU its stock through the signed batch endpoint. */
export async function stockHotSku(hubUrl) {
  const answer = await omsCall(hubUrl, "/v1/inventory/batches", {
    shop: BENCH_SHOP,
    batchId: "bench-hot-stock",
    updates: [
      {
        sku: HOT_SKU,
        locationId: BENCH_LOCATION.code,
        kind: "snapshot",
        onHand: HOT_ON_HAND,
        sequence: 1,
      },
    ],
  });
  if (answer.status !== 207 || answer.body?.summary?.accepted !== 1) {
    throw new Error(
      `stocking ${HOT_SKU} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
    );
  }
}

/**
 * `count` one-unit `orders/create` webhooks for the hot SKU from `connections` senders;
 * the hub's ingress puts each on the inventory queue, whose consumer reserves in the
 * SKU's object. Waits until the object holds every reservation (or `capSeconds`).
 * @returns {Promise<ReservationRun>}
 */
export async function reserveByWebhooks({ hub, adminToken, count, connections, capSeconds }) {
  const before = await reservedNow(hub.url, adminToken);
  const bodies = buildOrders(count);
  progress(`inventory: ${count} orders/create webhooks for ${HOT_SKU}`);

  return sendAndWatch({
    path: "webhooks",
    hub,
    adminToken,
    count,
    capSeconds,
    before,
    items: bodies,
    inFlight: Math.min(connections, count),
    send: async (body) => ((await deliver(hub.url, body)) ? 1 : 0),
  });
}

/**
 * `count` OMS confirmations (`confirm`, one unit) for new order lines of the hot SKU,
 * signed like OMS calls; a confirmation that comes first creates the reservation, so each
 * is one reservation straight in the object, without the queue in between.
 * @returns {Promise<ReservationRun>}
 */
export async function reserveByConfirmations({ hub, adminToken, count, capSeconds }) {
  const before = await reservedNow(hub.url, adminToken);
  const calls = [];
  for (let start = 0; start < count; start += CONFIRMATIONS_PER_CALL) {
    const size = Math.min(CONFIRMATIONS_PER_CALL, count - start);
    calls.push(
      Array.from({ length: size }, (_, offset) => {
        const orderId = String(FIRST_CONFIRMED_ORDER_ID + start + offset);
        return {
          confirmationId: `bench-confirm-${orderId}`,
          orderId,
          lineId: "1",
          sku: HOT_SKU,
          action: "confirm",
          quantity: 1,
        };
      }),
    );
  }
  progress(`inventory: ${count} OMS confirmations for ${HOT_SKU} in ${calls.length} calls`);

  return sendAndWatch({
    path: "confirmations",
    hub,
    adminToken,
    count,
    capSeconds,
    before,
    items: calls,
    inFlight: CONFIRMATION_CALLS_IN_FLIGHT,
    send: async (confirmations) => {
      const answer = await omsCall(hub.url, "/v1/inventory/confirmations", {
        shop: BENCH_SHOP,
        confirmations,
      });
      const results = answer.body?.results ?? [];
      return results.filter((result) => result.status === "applied").length;
    },
  });
}

/**
 * Sends `items` from `inFlight` concurrent senders (`send` answers how many reservations
 * one item made), then waits until the hot SKU's object holds them all (or `capSeconds`).
 * Both reservation paths are measured this way, so their numbers compare.
 * @returns {Promise<ReservationRun>}
 */
async function sendAndWatch({
  path,
  hub,
  adminToken,
  count,
  capSeconds,
  before,
  items,
  inFlight,
  send,
}) {
  const startedAt = Date.now();
  let next = 0;
  let answeredOk = 0;
  const sender = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      // Await first: `answeredOk += await …` would read the total before the wait and
      // lose what the other senders added meanwhile.
      const made = await send(item);
      answeredOk += made;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  const sentAt = Date.now();

  const watched = await watchReservations(
    hub.url,
    adminToken,
    before,
    answeredOk,
    startedAt,
    capSeconds,
  );
  return {
    path,
    asked: count,
    answeredOk,
    sendSeconds: (sentAt - startedAt) / 1000,
    ...watched,
  };
}

/** The hot SKU's final state, for the invariant checks. */
export async function hotSkuState(hubUrl, adminToken) {
  const view = await readStock(hubUrl, HOT_SKU, adminToken);
  const [level] = view.locations;
  return {
    onHand: level?.onHand ?? 0,
    reserved: level?.reserved ?? 0,
    safetyStock: level?.safetyStock ?? 0,
    available: level?.available ?? 0,
    backordered: view.backordered,
    openReservations: view.openReservations,
  };
}

async function reservedNow(hubUrl, adminToken) {
  return (await readStock(hubUrl, HOT_SKU, adminToken)).openReservations;
}

/** Polls the object until `expected` new reservations are visible; samples make the rate. */
async function watchReservations(hubUrl, adminToken, before, expected, startedAt, capSeconds) {
  const samples = [];
  const deadline = startedAt + capSeconds * 1000;
  let reserved = 0;
  while (Date.now() < deadline) {
    reserved = (await reservedNow(hubUrl, adminToken)) - before;
    samples.push({ at: Date.now(), reserved });
    if (reserved >= expected) break;
    await sleep(POLL_MS);
  }
  const finishedAt = samples[samples.length - 1]?.at ?? Date.now();
  return {
    reserved,
    finished: reserved >= expected,
    seconds: (finishedAt - startedAt) / 1000,
    steadyPerSecond: steadyRate(samples, expected),
  };
}

// The rate between the samples nearest 10% and 90% done: the pipeline saturated, without
// the ramp-up and the last poll's granularity.
function steadyRate(samples, expected) {
  const low = samples.find((sample) => sample.reserved >= expected * 0.1);
  const high = samples.find((sample) => sample.reserved >= expected * 0.9);
  if (!low || !high || high.at <= low.at) return null;
  return (high.reserved - low.reserved) / ((high.at - low.at) / 1000);
}

function buildOrders(count) {
  const sample = JSON.parse(readFileSync(SAMPLE_PATH, "utf8"));
  const [line] = sample.line_items;
  return Array.from({ length: count }, (_, index) => {
    const id = FIRST_WEBHOOK_ORDER_ID + index;
    const order = {
      ...sample,
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#H${index + 1}`,
      line_items: [
        {
          ...line,
          id: id + 1,
          admin_graphql_api_id: `gid://shopify/LineItem/${id + 1}`,
          sku: HOT_SKU,
          quantity: 1,
          current_quantity: 1,
          fulfillable_quantity: 1,
        },
      ],
    };
    return Buffer.from(JSON.stringify(order));
  });
}

async function deliver(hubUrl, body) {
  const request = signedWebhookRequest({
    topic: "orders/create",
    shop: BENCH_SHOP,
    secret: BENCH_API_SECRET,
    body,
  });
  const { headers } = request.setupRequest({ headers: { ...request.headers } });
  try {
    const response = await fetch(new URL(request.path, hubUrl), {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status >= 200 && response.status < 300;
  } catch {
    // Counted as not answered 2xx; the scenario reports the shortfall.
    return false;
  }
}
