import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../src/audit/query";
import { loadSettings } from "../../src/config/settings";
import { runScheduled } from "../../src/cron/dispatch";
import { openDatabase } from "../../src/db/client";
import { cronRuns } from "../../src/db/schema";
import { resolvePrices } from "../../src/pricing/service";
import { logger } from "../support/pricing";
import { installSandbox, type SandboxHandle } from "../support/sandbox";

const SHOP = "test-shop.myshopify.com";
const db = openDatabase(env.DB);
const ctx = {
  env,
  settings: loadSettings(env),
  logger,
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};
let sandbox: SandboxHandle;

async function seedErpBook(unitPrice: string, options: { withSkuB: boolean } = { withSkuB: true }) {
  const response = await fetch("http://sandbox.test/_control/price-books", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shop: SHOP,
      pageSize: 2,
      priceLists: [
        { id: "list-usd", kind: "list", currency: "USD" },
        { id: "contract-acme", kind: "contract", currency: "USD" },
      ],
      entries: [
        { priceListId: "list-usd", sku: "SKU-A", tiers: [{ minQuantity: 1, unitPrice }] },
        ...(options.withSkuB
          ? [
              {
                priceListId: "list-usd",
                sku: "SKU-B",
                tiers: [{ minQuantity: 1, unitPrice: "2.00" }],
              },
            ]
          : []),
        {
          priceListId: "contract-acme",
          sku: "SKU-A",
          tiers: [{ minQuantity: 1, unitPrice: "1.00" }],
        },
      ],
      assignments: [{ priceListId: "contract-acme", companyId: "100" }],
      promotions: [
        {
          id: "winter",
          startsAt: "2026-01-01T00:00:00Z",
          endsAt: "2030-01-01T00:00:00Z",
          skus: ["SKU-B"],
          companies: "all",
          percentOff: "50",
        },
      ],
    }),
  });
  expect(response.status).toBe(201);
}

const runNightly = () =>
  runScheduled(createScheduledController({ cron: "30 1 * * *", scheduledTime: Date.now() }), env);

beforeAll(() => {
  sandbox = installSandbox();
});
afterAll(() => sandbox.restore());

describe("nightly price-book import", () => {
  it("pulls the paged book, stores a version and publishes it", async () => {
    await seedErpBook("5.00");

    await runNightly();
    const cart = await resolvePrices(ctx, {
      shop: SHOP,
      currency: "USD",
      companyId: "100",
      lines: [
        { sku: "SKU-A", quantity: 1 },
        { sku: "SKU-B", quantity: 3 },
      ],
    });
    const [run] = await db.select().from(cronRuns);

    expect(cart.lines).toMatchObject([
      { source: "contract", unitPrice: "1.00" },
      { source: "promo", unitPrice: "1.00", promotionId: "winter" },
    ]);
    expect(run).toMatchObject({ job: "price-books-import", status: "succeeded" });
  });

  it("deletes what the ERP no longer sends and audits the difference only", async () => {
    await seedErpBook("6.00", { withSkuB: false });
    const [last] = await listAudit(db, { limit: 1 });

    await runNightly();
    const changes = await listAudit(db, { limit: 50 });
    const cart = await resolvePrices(ctx, {
      shop: SHOP,
      currency: "USD",
      lines: [
        { sku: "SKU-A", quantity: 1 },
        { sku: "SKU-B", quantity: 1 },
      ],
    });

    expect(
      changes
        .filter((entry) => entry.seq > (last?.seq ?? 0))
        .map((entry) => `${entry.action} ${entry.subject}`),
    ).toEqual([
      `price_entry.deleted ${SHOP}/price-lists/list-usd/skus/SKU-B`,
      `price_entry.updated ${SHOP}/price-lists/list-usd/skus/SKU-A`,
    ]);
    expect(cart.lines[0]).toMatchObject({ source: "list", unitPrice: "6.00" });
    expect(cart.lines[1]?.errors).toEqual(["no_price"]);
  });
});
