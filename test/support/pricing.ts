import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { openDatabase } from "../../src/db/client";
import { loadBookRows } from "../../src/db/price-books";
import { createLogger } from "../../src/observability/logger";
import { applyBookChanges } from "../../src/pricing/apply";
import { keysOf, PriceChangeSchema, planChanges } from "../../src/pricing/change-request";
import { publishPriceBook } from "../../src/pricing/publish";
import { TEST_ERP_SIGNING_SECRET } from "./sandbox";

export const logger = createLogger("error");

/** The list USD book most pricing tests start from: SKU-A tiered, SKU-B flat, a contract list. */
export const BASE_BOOK: unknown[] = [
  { type: "priceList.upsert", priceList: { id: "list-usd", kind: "list", currency: "USD" } },
  { type: "priceList.upsert", priceList: { id: "list-jpy", kind: "list", currency: "JPY" } },
  {
    type: "priceList.upsert",
    priceList: { id: "contract-acme", kind: "contract", currency: "USD" },
  },
  {
    type: "priceList.upsert",
    priceList: { id: "contract-acme-dc", kind: "contract", currency: "USD" },
  },
  {
    type: "entries.upsert",
    entries: [
      {
        priceListId: "list-usd",
        sku: "SKU-A",
        tiers: [
          { minQuantity: 1, unitPrice: "10.00" },
          { minQuantity: 10, unitPrice: "9.00" },
        ],
      },
      { priceListId: "list-usd", sku: "SKU-B", tiers: [{ minQuantity: 1, unitPrice: "4.50" }] },
      { priceListId: "list-jpy", sku: "SKU-A", tiers: [{ minQuantity: 1, unitPrice: "1500" }] },
      {
        priceListId: "contract-acme",
        sku: "SKU-A",
        tiers: [{ minQuantity: 1, unitPrice: "8.00" }],
      },
      {
        priceListId: "contract-acme-dc",
        sku: "SKU-A",
        tiers: [{ minQuantity: 1, unitPrice: "7.50" }],
      },
    ],
  },
  { type: "assignment.set", assignment: { priceListId: "contract-acme", companyId: "100" } },
  {
    type: "assignment.set",
    assignment: { priceListId: "contract-acme-dc", companyLocationId: "1001" },
  },
];

/**
 * Applies changes as the ERP's change endpoint would (plan, write, audit) and publishes.
 * Returns the version made, if any.
 */
export async function applyAndPublish(
  shop: string,
  raw: unknown[],
  options: { kv?: KVNamespace; full?: boolean } = {},
) {
  const db = openDatabase(env.DB);
  const changes = raw.map((change) => PriceChangeSchema.parse(change));
  const current = await loadBookRows(db, shop, keysOf(changes));
  const planned = planChanges(current, changes);
  const applied = await applyBookChanges(
    db,
    shop,
    "connector:erp",
    "incremental",
    planned,
    current.priceLists,
  );
  const outcome = await publishPriceBook({ db, kv: options.kv ?? env.PRICES, logger }, shop, {
    ...(applied.version !== undefined
      ? { incremental: { version: applied.version, changes: planned } }
      : {}),
    ...(options.full ? { full: true } : {}),
    waitMs: 5000,
  });
  return { version: applied.version, outcome };
}

/** Operation counts of a {@link countingKv}: a bulk get counts once, like KV bills it. */
export interface KvCounts {
  gets: number;
  puts: number;
  deletes: number;
}

/** A KV namespace that counts the operations made through it and forwards them. */
export function countingKv(real: KVNamespace): { kv: KVNamespace; counts: KvCounts } {
  const counts: KvCounts = { gets: 0, puts: 0, deletes: 0 };
  const kv = {
    get: (...args: Parameters<KVNamespace["get"]>) => {
      counts.gets += 1;
      return (real.get as (...a: unknown[]) => unknown)(...args);
    },
    put: (...args: Parameters<KVNamespace["put"]>) => {
      counts.puts += 1;
      return real.put(...args);
    },
    delete: (...args: Parameters<KVNamespace["delete"]>) => {
      counts.deletes += 1;
      return real.delete(...args);
    },
  };
  return { kv: kv as unknown as KVNamespace, counts };
}

/** A request to the hub signed with the ERP's Standard Webhooks secret, as the ERP sends it. */
export function signedErpRequest(
  url: string,
  body: unknown,
  secret = TEST_ERP_SIGNING_SECRET,
): Request {
  const text = JSON.stringify(body);
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  const signature = new Webhook(secret).sign(id, at, text);
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: text,
  });
}
