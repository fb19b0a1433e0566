import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { setMapping, shopsBehindOnPush, storeVariants } from "../../../src/db/price-list-sync";
import { pushShopPriceLists } from "../../../src/pricing/shopify-push/push";
import { shopBudget } from "../../../src/shopify/admin/budget";
import { freshShop } from "../../shopify/admin/stand-in-fetch";
import { applyAndPublish } from "../../support/pricing";
import { installPriceListStandIn } from "./price-list-stand-in";

const db = openDatabase(env.DB);
const PRICE_LIST = "gid://shopify/PriceList/900";
let standIn: ReturnType<typeof installPriceListStandIn>;

beforeEach(() => {
  standIn = installPriceListStandIn();
});
afterEach(() => standIn.restore());

const contractList = {
  type: "priceList.upsert",
  priceList: { id: "contract-acme", kind: "contract", currency: "USD" },
};

function entry(sku: string, unitPrice: string, extra: Record<string, unknown> = {}) {
  return { priceListId: "contract-acme", sku, tiers: [{ minQuantity: 1, unitPrice }], ...extra };
}

/** A shop with its own budget, a contract list of `entries`, mapped, and SKU-n variants. */
async function mappedShop(entries: unknown[], variants = entries.length) {
  const { shop, ctx } = freshShop();
  await standIn.seed({
    shop,
    variants: Array.from({ length: variants }, (_, i) => ({
      legacyResourceId: `${i + 1}`,
      sku: `SKU-${i + 1}`,
    })),
    priceLists: [{ legacyResourceId: "900", currency: "USD" }],
  });
  await applyAndPublish(shop, [contractList, { type: "entries.upsert", entries }]);
  await setMapping(db, shop, "contract-acme", PRICE_LIST);
  return { shop, deps: { ...ctx, db } };
}

async function mutations(shop: string) {
  return (await standIn.calls()).filter(
    (call) => call.shop === shop && call.operationName === "QuantityPricingByVariantUpdate",
  );
}

describe("pushShopPriceLists", () => {
  it("pushes fixed prices, quantity price breaks and quantity rules of a mapped contract list", async () => {
    const { shop, deps } = await mappedShop([
      entry("SKU-1", "8.00", {
        tiers: [
          { minQuantity: 1, unitPrice: "8.00" },
          { minQuantity: 10, unitPrice: "7.25" },
        ],
        quantityRule: { minimum: 2, maximum: 100, increment: 2 },
      }),
      entry("SKU-2", "3.10"),
    ]);

    const summary = await pushShopPriceLists(deps, shop);

    expect(summary).toMatchObject({
      status: "pushed",
      lists: [{ priceListId: "contract-acme", pushed: 2, failed: 0, mutations: 1 }],
    });
    expect((await standIn.priceList(shop, PRICE_LIST))?.variants).toEqual([
      {
        id: "gid://shopify/ProductVariant/1",
        sku: "SKU-1",
        price: { amount: "8.00", currencyCode: "USD" },
        breaks: [{ minimumQuantity: 10, price: { amount: "7.25", currencyCode: "USD" } }],
        rule: { minimum: 2, maximum: 100, increment: 2 },
      },
      {
        id: "gid://shopify/ProductVariant/2",
        sku: "SKU-2",
        price: { amount: "3.10", currencyCode: "USD" },
        breaks: [],
        rule: null,
      },
    ]);
    expect(await shopsBehindOnPush(db)).not.toContain(shop);
  });

  it("sends only the entries that changed since the last successful push", async () => {
    const { shop, deps } = await mappedShop([entry("SKU-1", "8.00"), entry("SKU-2", "3.10")]);
    await pushShopPriceLists(deps, shop);

    await applyAndPublish(shop, [{ type: "entries.upsert", entries: [entry("SKU-2", "2.95")] }]);
    expect(await shopsBehindOnPush(db)).toContain(shop);
    await pushShopPriceLists(deps, shop);
    await pushShopPriceLists(deps, shop);

    const sent = await mutations(shop);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.variables).toMatchObject({
      input: {
        pricesToAdd: [
          {
            variantId: "gid://shopify/ProductVariant/2",
            price: { amount: "2.95", currencyCode: "USD" },
          },
        ],
      },
    });
  });

  it("deletes the price, breaks and rule of an entry the list lost", async () => {
    const { shop, deps } = await mappedShop([
      entry("SKU-1", "8.00", {
        tiers: [
          { minQuantity: 1, unitPrice: "8.00" },
          { minQuantity: 5, unitPrice: "7.00" },
        ],
        quantityRule: { minimum: 1, increment: 1 },
      }),
      entry("SKU-2", "3.10"),
    ]);
    await pushShopPriceLists(deps, shop);

    await applyAndPublish(shop, [
      { type: "entries.delete", entries: [{ priceListId: "contract-acme", sku: "SKU-1" }] },
    ]);
    const summary = await pushShopPriceLists(deps, shop);

    expect(summary.lists[0]).toMatchObject({ pushed: 0, removed: 1 });
    expect((await mutations(shop))[1]?.variables).toMatchObject({
      input: {
        pricesToDeleteByVariantId: ["gid://shopify/ProductVariant/1"],
        quantityPriceBreaksToDeleteByVariantId: ["gid://shopify/ProductVariant/1"],
        quantityRulesToDeleteByVariantId: ["gid://shopify/ProductVariant/1"],
      },
    });
    expect((await standIn.priceList(shop, PRICE_LIST))?.variants.map((v) => v.sku)).toEqual([
      "SKU-2",
    ]);
  });

  it("sends at most 250 prices per mutation", async () => {
    const entries = Array.from({ length: 600 }, (_, i) => entry(`SKU-${i + 1}`, "1.00"));
    const { shop, deps } = await mappedShop(entries);

    const summary = await pushShopPriceLists(deps, shop);

    const sizes = (await mutations(shop)).map(
      (call) => (call.variables.input as { pricesToAdd: unknown[] }).pricesToAdd.length,
    );
    expect(sizes).toEqual([250, 250, 100]);
    expect(summary.lists[0]).toMatchObject({ pushed: 600, mutations: 3 });
  });

  it("reports the entry Shopify rejects and pushes the rest of its chunk", async () => {
    const { shop, deps } = await mappedShop([entry("SKU-1", "8.00"), entry("SKU-2", "3.10")]);
    // A cached variant Shopify has since deleted.
    await storeVariants(db, [
      {
        shop,
        sku: "SKU-1",
        variantId: "gid://shopify/ProductVariant/999",
        variantCount: 1,
        checkedAt: Date.now(),
      },
    ]);

    const summary = await pushShopPriceLists(deps, shop);
    const again = await pushShopPriceLists(deps, shop, { retryFailed: true });

    expect(summary.lists[0]).toMatchObject({ pushed: 1, failed: 1, mutations: 2 });
    // The stale variant was forgotten, looked up again and the retry went through.
    expect(again.lists[0]).toMatchObject({ pushed: 1, failed: 0 });
    expect((await standIn.priceList(shop, PRICE_LIST))?.variants.map((v) => v.sku)).toEqual([
      "SKU-1",
      "SKU-2",
    ]);
  });

  it("reports a SKU without a Shopify variant and skips it while it is unchanged", async () => {
    const { shop, deps } = await mappedShop([entry("SKU-1", "8.00"), entry("SKU-404", "1.00")], 1);

    const first = await pushShopPriceLists(deps, shop);
    await applyAndPublish(shop, [{ type: "entries.upsert", entries: [entry("SKU-1", "7.00")] }]);
    await pushShopPriceLists(deps, shop);

    expect(first.lists[0]).toMatchObject({ pushed: 1, failed: 1 });
    const lookups = (await standIn.calls()).filter(
      (call) => call.shop === shop && call.operationName === "ProductVariantsBySku",
    );
    // The second push sent SKU-1 on its cached variant and left the unchanged SKU-404 alone.
    expect(lookups.map((call) => call.variables.query)).toEqual(["sku:'SKU-1' OR sku:'SKU-404'"]);
    expect((await mutations(shop)).map((call) => call.variables.input)).toMatchObject([
      { pricesToAdd: [{ price: { amount: "8.00" } }] },
      { pricesToAdd: [{ price: { amount: "7.00" } }] },
    ]);
  });

  it("stops without calling Shopify when the shop's shared budget is spent, and resumes later", async () => {
    const { shop, deps } = await mappedShop([entry("SKU-1", "8.00")]);
    const budget = shopBudget(deps.env, shop);
    await budget.settle(1, {
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 1 },
    });

    const paused = await pushShopPriceLists(deps, shop);

    expect(paused).toMatchObject({ status: "throttled", code: "shopify_budget_exhausted" });
    expect(await standIn.calls()).toEqual([]);
    expect(await shopsBehindOnPush(db)).toContain(shop);

    await budget.settle(1, {
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 },
    });
    const resumed = await pushShopPriceLists(deps, shop);

    expect(resumed).toMatchObject({ status: "pushed", lists: [{ pushed: 1 }] });
  });

  it("stops the list when the Shopify price list does not exist", async () => {
    const { shop, deps } = await mappedShop([entry("SKU-1", "8.00")]);
    await setMapping(db, shop, "contract-acme", "gid://shopify/PriceList/404");

    const summary = await pushShopPriceLists(deps, shop);

    expect(summary.lists[0]).toMatchObject({ reason: "shopify_price_list_not_found" });
  });
});
