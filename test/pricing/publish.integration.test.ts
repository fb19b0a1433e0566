import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadSettings } from "../../src/config/settings";
import { clearPriceCache, loadBookView, readPointer } from "../../src/pricing/load";
import { type ResolveRequest, resolvePrices } from "../../src/pricing/service";
import { applyAndPublish, BASE_BOOK, countingKv, logger } from "../support/pricing";

const SHOP = "test-shop.myshopify.com";
const ctx = {
  env,
  settings: loadSettings(env),
  logger,
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};

function request(overrides: Partial<ResolveRequest> = {}): ResolveRequest {
  return { shop: SHOP, currency: "USD", lines: [{ sku: "SKU-A", quantity: 1 }], ...overrides };
}

const manySkus = Array.from({ length: 260 }, (_, i) => `BULK-${String(i).padStart(3, "0")}`);

beforeAll(async () => {
  await applyAndPublish(SHOP, [
    ...BASE_BOOK,
    {
      type: "entries.upsert",
      entries: manySkus.map((sku) => ({
        priceListId: "list-usd",
        sku,
        tiers: [{ minQuantity: 1, unitPrice: "1.00" }],
      })),
    },
  ]);
});

describe("published book", () => {
  it("resolves list, company contract and location contract prices", async () => {
    const anonymous = await resolvePrices(ctx, request());
    const company = await resolvePrices(ctx, request({ companyId: "100" }));
    const location = await resolvePrices(
      ctx,
      request({ companyId: "100", companyLocationId: "1001" }),
    );
    const otherLocation = await resolvePrices(
      ctx,
      request({ companyId: "100", companyLocationId: "1002" }),
    );

    expect(anonymous.lines[0]).toMatchObject({
      source: "list",
      unitPrice: "10.00",
      priceListId: "list-usd",
    });
    expect(company.lines[0]).toMatchObject({
      source: "contract",
      unitPrice: "8.00",
      priceListId: "contract-acme",
    });
    expect(location.lines[0]).toMatchObject({
      source: "contract",
      unitPrice: "7.50",
      priceListId: "contract-acme-dc",
    });
    expect(otherLocation.lines[0]).toMatchObject({ source: "contract", unitPrice: "8.00" });
  });

  it("prices JPY from the JPY list and leaves a currency without a book unpriced", async () => {
    const yen = await resolvePrices(ctx, request({ currency: "JPY", companyId: "100" }));
    const euro = await resolvePrices(ctx, request({ currency: "EUR" }));

    expect(yen.lines[0]).toMatchObject({ source: "list", unitPrice: "1500", currency: "JPY" });
    expect(euro.lines[0]?.errors).toEqual(["no_price"]);
  });

  it("reads a cold 50-line cart in at most 4 KV operations", async () => {
    const { kv, counts } = countingKv(env.PRICES);
    clearPriceCache();

    const view = await loadBookView(
      kv,
      SHOP,
      "USD",
      { companyId: "100", companyLocationId: "1001" },
      manySkus.slice(0, 50),
    );

    expect(view.prices.size).toBe(50);
    expect(counts.gets).toBeLessThanOrEqual(4);
  });

  it("reads a cold 250-line cart in at most 4 KV operations, a warm one in 0 or 1", async () => {
    const { kv, counts } = countingKv(env.PRICES);
    clearPriceCache();
    const skus = manySkus.slice(0, 250);
    const buyer = { companyId: "100", companyLocationId: "1001" };

    await loadBookView(kv, SHOP, "USD", buyer, skus);
    const cold = counts.gets;
    await loadBookView(kv, SHOP, "USD", buyer, skus);
    const warm = counts.gets - cold;
    // Past the second this isolate trusts a pointer, a warm resolve re-reads only it.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 1500);
    await loadBookView(kv, SHOP, "USD", buyer, skus);
    vi.useRealTimers();

    expect(cold).toBeLessThanOrEqual(4);
    expect(warm).toBe(0);
    expect(counts.gets - cold - warm).toBe(1);
  });

  it("publishes an on-demand change incrementally under new keys", async () => {
    const before = await readPointer(env.PRICES, SHOP);
    const { version, outcome } = await applyAndPublish(SHOP, [
      {
        type: "entries.upsert",
        entries: [
          { priceListId: "list-usd", sku: "SKU-B", tiers: [{ minQuantity: 1, unitPrice: "4.40" }] },
        ],
      },
    ]);
    const after = await readPointer(env.PRICES, SHOP);
    const cart = await resolvePrices(ctx, request({ lines: [{ sku: "SKU-B", quantity: 1 }] }));

    expect(outcome).toMatchObject({ status: "published", mode: "incremental", keysWritten: 2 });
    expect(after?.generation).toBe(before?.generation);
    expect(after?.version).toBe(version);
    expect(cart.lines[0]).toMatchObject({ unitPrice: "4.40", version });
  });

  it("makes no version for a change that changes nothing", async () => {
    const { version, outcome } = await applyAndPublish(SHOP, [
      {
        type: "entries.upsert",
        entries: [
          { priceListId: "list-usd", sku: "SKU-B", tiers: [{ minQuantity: 1, unitPrice: "4.40" }] },
        ],
      },
    ]);

    expect(version).toBeUndefined();
    expect(outcome.status).toBe("up_to_date");
  });
});

describe("version flip", () => {
  it("never shows a cart half of two versions while versions flip", async () => {
    const prices = (a: string, b: string) => [
      {
        type: "entries.upsert",
        entries: [
          { priceListId: "list-usd", sku: "SKU-A", tiers: [{ minQuantity: 1, unitPrice: a }] },
          { priceListId: "list-usd", sku: "SKU-B", tiers: [{ minQuantity: 1, unitPrice: b }] },
        ],
      },
    ];
    await applyAndPublish(SHOP, prices("20.00", "2.00"), { full: true });
    const pairs = new Map<number, string>();
    const seen: { version: number; pair: string }[] = [];

    const resolves = async () => {
      for (let i = 0; i < 15; i += 1) {
        const cart = await resolvePrices(
          ctx,
          request({
            lines: [
              { sku: "SKU-A", quantity: 1 },
              { sku: "SKU-B", quantity: 1 },
            ],
          }),
        );
        seen.push({
          version: cart.version,
          pair: cart.lines.map((line) => line.unitPrice).join("/"),
        });
      }
    };
    const flips = async () => {
      for (const [index, [a, b]] of [
        ["21.00", "2.10"],
        ["22.00", "2.20"],
        ["23.00", "2.30"],
      ].entries()) {
        const { version } = await applyAndPublish(SHOP, prices(a ?? "", b ?? ""), {
          full: index === 1,
        });
        if (version !== undefined) pairs.set(version, `${a}/${b}`);
      }
    };
    await Promise.all([resolves(), resolves(), resolves(), flips()]);

    for (const { version, pair } of seen) {
      const expected = pairs.get(version);
      if (expected) expect(pair).toBe(expected);
      else expect(pair).toBe("20.00/2.00");
    }
    expect(seen).toHaveLength(45);
  });
});
