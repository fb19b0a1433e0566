import { BENCH_SHOP } from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { summarise } from "../lib/percentiles.mjs";
import { BENCH_LOCATION, itemGid, omsCall, sleep } from "./inventory.setup.mjs";

const POLL_MS = 100;

/**
 * @typedef {object} PropagationRound
 * @property {string} id          "first" or "update"
 * @property {string} label
 * @property {number} skus
 * @property {number} postMs      the batch POST's round trip
 * @property {number} accepted    lines the hub accepted
 * @property {number} reflected   SKUs Shopify shows at their new value
 * @property {number} mutations   inventorySetQuantities calls the stand-in took for them
 * @property {import("../lib/percentiles.mjs").Summary} latencyMs  POST sent → the mutation
 *   carrying the SKU's new value reached the stand-in, per SKU
 * @property {boolean} finished
 */

/**
 * One OMS update of every SKU at once (`POST /v1/inventory/batches`, one line per SKU),
 * then waits until the Shopify stand-in shows every new value. Latency per SKU runs from
 * just before the POST to the stand-in's arrival time of the first `inventorySetQuantities`
 * that carried the SKU's new value. `lines(sku, index)` builds each SKU's line.
 * @returns {Promise<PropagationRound>}
 */
export async function propagateRound({ hub, sandbox, skus, round, lines, expected, capSeconds }) {
  progress(`inventory: ${round.label}: one batch of ${skus.length} SKUs`);
  const answer = await omsCall(hub.url, "/v1/inventory/batches", {
    shop: BENCH_SHOP,
    batchId: `bench-${round.id}`,
    updates: skus.map(({ sku }, index) => lines(sku, index)),
  });
  const postedAt = answer.postedAt;

  const wanted = new Map(skus.map(({ legacyId }, index) => [itemGid(legacyId), expected(index)]));
  const reflected = await waitForShopify(sandbox, skus, expected, postedAt + capSeconds * 1000);

  const { calls } = await sandbox.control("/shopify/_control/calls");
  const mutations = calls.filter(
    (call) =>
      call.operationName === "InventorySetAvailable" &&
      call.shop === BENCH_SHOP &&
      call.at >= postedAt,
  );
  const arrivals = new Map();
  for (const call of mutations) {
    for (const quantity of call.variables.input.quantities) {
      const target = wanted.get(quantity.inventoryItemId);
      if (target === quantity.quantity && !arrivals.has(quantity.inventoryItemId)) {
        arrivals.set(quantity.inventoryItemId, call.at - postedAt);
      }
    }
  }

  return {
    id: round.id,
    label: round.label,
    skus: skus.length,
    status: answer.status,
    postMs: answer.answeredAt - answer.postedAt,
    accepted: answer.body?.summary?.accepted ?? 0,
    reflected,
    mutations: mutations.length,
    latencyMs: summarise([...arrivals.values()]),
    finished: reflected === skus.length,
  };
}

/** Polls the stand-in's levels until every SKU shows `expected(index)`; returns how many do. */
async function waitForShopify(sandbox, skus, expected, deadline) {
  const want = new Map(skus.map(({ sku }, index) => [sku, expected(index)]));
  let matching = 0;
  while (Date.now() < deadline) {
    const { levels } = await sandbox.control(`/shopify/_control/inventory/${BENCH_SHOP}`);
    matching = levels.filter(
      (level) => level.location === BENCH_LOCATION.name && want.get(level.sku) === level.available,
    ).length;
    if (matching === skus.length) break;
    await sleep(POLL_MS);
  }
  return matching;
}
