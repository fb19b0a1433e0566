import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings";
import { clearQuoteCache } from "../../src/pricing/erp-quote";
import { resolvePrices } from "../../src/pricing/service";
import { applyAndPublish, BASE_BOOK, logger } from "../support/pricing";
import { installSandbox, type SandboxHandle } from "../support/sandbox";

const SHOP = "test-shop.myshopify.com";
const ctx = {
  env,
  settings: loadSettings(env),
  logger,
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};
// SKU-B is on the list but not on contract-acme, so company 100 makes the hub ask the ERP.
const request = {
  shop: SHOP,
  currency: "USD",
  companyId: "100",
  lines: [{ sku: "SKU-B", quantity: 2 }],
};
let sandbox: SandboxHandle;

async function seedQuote(tiers: { minQuantity: number; unitPrice: string }[] | null) {
  await fetch("http://sandbox.test/_control/price-quotes", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ shop: SHOP, priceListId: "contract-acme", sku: "SKU-B", tiers }),
  });
}

beforeAll(async () => {
  sandbox = installSandbox();
  await applyAndPublish(SHOP, BASE_BOOK);
});
afterAll(() => sandbox.restore());
beforeEach(() => {
  sandbox.reset();
  clearQuoteCache();
});

describe("real-time contract quotes", () => {
  it("prices a SKU missing from the published contract list from the ERP", async () => {
    await seedQuote([{ minQuantity: 1, unitPrice: "3.99" }]);

    const cart = await resolvePrices(ctx, request);

    expect(cart.lines[0]).toMatchObject({
      source: "contract",
      unitPrice: "3.99",
      priceListId: "contract-acme",
    });
  });

  it("caches an answer briefly, so the next cart does not call the ERP", async () => {
    await seedQuote(null);

    const first = await resolvePrices(ctx, request);
    const callsAfterFirst = sandbox.calls("erp").length;
    const second = await resolvePrices(ctx, request);

    expect(first.lines[0]).toMatchObject({ source: "list", unitPrice: "4.50" });
    expect(second.lines[0]).toMatchObject({ source: "list", unitPrice: "4.50" });
    expect(sandbox.calls("erp").length).toBe(callsAfterFirst);
  });

  it("returns the list price flagged fallback when the ERP times out", async () => {
    await seedQuote([{ minQuantity: 1, unitPrice: "3.99" }]);
    sandbox.faults({ target: "erp", mode: "latency", ms: 2000, times: 1 });

    const started = Date.now();
    const cart = await resolvePrices(ctx, request);

    expect(cart.lines[0]).toMatchObject({
      source: "fallback",
      unitPrice: "4.50",
      priceListId: "list-usd",
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("returns the list price flagged fallback when the ERP fails", async () => {
    sandbox.faults({ target: "erp", mode: "fail", status: 503, times: 1 });

    const cart = await resolvePrices(ctx, request);

    expect(cart.lines[0]).toMatchObject({ source: "fallback", unitPrice: "4.50" });
  });
});
