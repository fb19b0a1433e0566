import { Webhook } from "standardwebhooks";
import { BENCH_ERP_SIGNING_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";

// A realistic B2B book: a USD list of 5,000 SKUs (a third with volume tiers, some with
// quantity rules), a contract list of 2,000 of them for one company (its location has a
// smaller one of 500), and three promotions. Sent through the signed ERP change endpoint,
// exactly as the ERP would.
export const SKU_COUNT = 5000;
const CONTRACT_SKUS = 2000;
const LOCATION_SKUS = 500;
export const BUYER = { companyId: "100", companyLocationId: "1001" };

export const skuAt = (index) => `BENCH-${String(index).padStart(5, "0")}`;
const price = (cents) => (cents / 100).toFixed(2);

function listEntry(index) {
  const base = 500 + ((index * 37) % 9500);
  const tiered = index % 3 === 0;
  return {
    priceListId: "list-usd",
    sku: skuAt(index),
    tiers: tiered
      ? [
          { minQuantity: 1, unitPrice: price(base) },
          { minQuantity: 10, unitPrice: price(Math.round(base * 0.95)) },
          { minQuantity: 50, unitPrice: price(Math.round(base * 0.9)) },
        ]
      : [{ minQuantity: 1, unitPrice: price(base) }],
    ...(index % 10 === 0 ? { quantityRule: { minimum: 1, increment: 1, maximum: 1000 } } : {}),
  };
}

function contractEntry(listId, index, share) {
  const base = 500 + ((index * 37) % 9500);
  return {
    priceListId: listId,
    sku: skuAt(index),
    tiers: [{ minQuantity: 1, unitPrice: price(Math.round(base * share)) }],
  };
}

/** The change requests that build the book, in order. */
export function bookChanges() {
  const all = Array.from({ length: SKU_COUNT }, (_, i) => i);
  return [
    [
      { type: "priceList.upsert", priceList: { id: "list-usd", kind: "list", currency: "USD" } },
      { type: "entries.upsert", entries: all.map(listEntry) },
    ],
    [
      {
        type: "priceList.upsert",
        priceList: { id: "contract-100", kind: "contract", currency: "USD" },
      },
      {
        type: "priceList.upsert",
        priceList: { id: "contract-1001", kind: "contract", currency: "USD" },
      },
      {
        type: "entries.upsert",
        entries: all.slice(0, CONTRACT_SKUS).map((i) => contractEntry("contract-100", i, 0.85)),
      },
      {
        type: "entries.upsert",
        entries: all.slice(0, LOCATION_SKUS).map((i) => contractEntry("contract-1001", i, 0.8)),
      },
      {
        type: "assignment.set",
        assignment: { priceListId: "contract-100", companyId: BUYER.companyId },
      },
      {
        type: "assignment.set",
        assignment: { priceListId: "contract-1001", companyLocationId: BUYER.companyLocationId },
      },
      {
        type: "promotion.upsert",
        promotion: {
          id: "promo-all-5",
          startsAt: "2020-01-01T00:00:00Z",
          endsAt: "2099-01-01T00:00:00Z",
          skus: "all",
          companies: "all",
          percentOff: "5",
        },
      },
      {
        type: "promotion.upsert",
        promotion: {
          id: "promo-fixed",
          startsAt: "2020-01-01T00:00:00Z",
          endsAt: "2099-01-01T00:00:00Z",
          currency: "USD",
          skus: all.slice(4000, 4100).map(skuAt),
          companies: "all",
          fixedUnitPrice: "1.00",
        },
      },
      {
        type: "promotion.upsert",
        promotion: {
          id: "promo-company",
          startsAt: "2020-01-01T00:00:00Z",
          endsAt: "2099-01-01T00:00:00Z",
          skus: "all",
          companies: [BUYER.companyId],
          percentOff: "12.5",
        },
      },
    ],
  ];
}

/**
 * One change that forces a full publish (a new generation: every KV key new): a list
 * price list in a currency the book has not had, with one entry.
 */
export function fullPublishChange(currency) {
  const id = `list-${currency.toLowerCase()}`;
  return [
    { type: "priceList.upsert", priceList: { id, kind: "list", currency } },
    {
      type: "entries.upsert",
      entries: [{ priceListId: id, sku: skuAt(0), tiers: [{ minQuantity: 1, unitPrice: "1.00" }] }],
    },
  ];
}

/** Sends one signed change request; throws unless the hub applied it. */
export async function sendChanges(hubUrl, changes) {
  const body = JSON.stringify({ shop: BENCH_SHOP, changes });
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  const response = await fetch(new URL("/connectors/erp/price-changes", hubUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(BENCH_ERP_SIGNING_SECRET).sign(id, at, body),
    },
    body,
  });
  const answer = await response.json();
  if (response.status !== 200 || answer.published === "busy") {
    throw new Error(`price changes answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer;
}
