import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyAndPublish, BASE_BOOK } from "../../support/pricing";

const OPERATOR = "Bearer operator-token-0123456789";
const VIEWER = "Bearer viewer-token-0123456789ab";
const SHOP = "test-shop.myshopify.com";

function call(method: string, path: string, token: string, body?: unknown) {
  return exports.default.fetch(
    new Request(`https://hub.test/admin/api/price-lists${path}`, {
      method,
      headers: { authorization: token, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

beforeAll(async () => {
  await applyAndPublish(SHOP, BASE_BOOK);
});

describe("/admin/api/price-lists/:priceListId/shopify", () => {
  it("maps a contract list to a Shopify price list and lists the mapping", async () => {
    const put = await call("PUT", `/contract-acme/shopify?shop=${SHOP}`, OPERATOR, {
      shopifyPriceListId: "gid://shopify/PriceList/900",
    });
    const list = await call("GET", `/shopify?shop=${SHOP}`, VIEWER);

    expect(put.status).toBe(200);
    expect(await list.json()).toMatchObject({
      shop: SHOP,
      items: [
        {
          priceListId: "contract-acme",
          shopifyPriceListId: "gid://shopify/PriceList/900",
          pushedVersion: 0,
          lastPushAt: null,
        },
      ],
    });
  });

  it.each([
    ["list-usd", { shopifyPriceListId: "gid://shopify/PriceList/1" }, 422, "not_a_contract_list"],
    ["nope", { shopifyPriceListId: "gid://shopify/PriceList/1" }, 404, "price_list_not_found"],
    ["contract-acme", { shopifyPriceListId: "900" }, 400, "invalid_request"],
  ])("refuses mapping %s with %i %s", async (listId, body, status, reason) => {
    const response = await call("PUT", `/${listId}/shopify?shop=${SHOP}`, OPERATOR, body);

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("refuses a viewer token a mapping change", async () => {
    const response = await call("PUT", `/contract-acme/shopify?shop=${SHOP}`, VIEWER, {
      shopifyPriceListId: "gid://shopify/PriceList/900",
    });

    expect(response.status).toBe(403);
  });

  it("removes a mapping, then answers 404 mapping_not_found", async () => {
    await call("PUT", `/contract-acme-dc/shopify?shop=${SHOP}`, OPERATOR, {
      shopifyPriceListId: "gid://shopify/PriceList/901",
    });

    const first = await call("DELETE", `/contract-acme-dc/shopify?shop=${SHOP}`, OPERATOR);
    const second = await call("DELETE", `/contract-acme-dc/shopify?shop=${SHOP}`, OPERATOR);

    expect(first.status).toBe(204);
    expect(second.status).toBe(404);
    expect(await second.json()).toMatchObject({ reason: "mapping_not_found" });
  });

  it("answers 404 unknown_shop for a shop the hub does not serve", async () => {
    const response = await call("GET", "/shopify?shop=elsewhere.myshopify.com", VIEWER);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ reason: "unknown_shop" });
  });
});
