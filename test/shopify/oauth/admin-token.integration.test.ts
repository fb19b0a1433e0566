import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../../src/config/settings";
import { openDatabase } from "../../../src/db/client";
import { revokeShopToken, saveShopToken } from "../../../src/db/shop-tokens";
import { listOrdersUpdatedSince } from "../../../src/shopify/admin/orders-updated-since";
import { adminTokenFor } from "../../../src/shopify/oauth/admin-token";
import { sealToken } from "../../../src/shopify/oauth/token-cipher";
import { freshShop, installStandIn, type StandInHandle } from "../admin/stand-in-fetch";

const db = openDatabase(env.DB);
const settings = loadSettings(env);
const keyring = {
  keys: settings.TOKEN_ENCRYPTION_KEYS,
  activeKid: settings.TOKEN_ENCRYPTION_ACTIVE_KID,
};

async function storeOauthToken(shop: string, token: string): Promise<void> {
  await saveShopToken(db, {
    shop,
    sealed: await sealToken(keyring, shop, token),
    scopes: "read_orders",
  });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("adminTokenFor", () => {
  it("prefers the shop's OAuth token over the configured custom-app token", async () => {
    await storeOauthToken("test-shop.myshopify.com", "shpat_from_oauth");

    expect(await adminTokenFor(env, settings, "test-shop.myshopify.com")).toBe("shpat_from_oauth");
  });

  it("falls back to the configured token once the OAuth token is revoked", async () => {
    await storeOauthToken("other-shop.myshopify.com", "shpat_from_oauth");
    await revokeShopToken(db, "other-shop.myshopify.com", Date.now());

    expect(await adminTokenFor(env, settings, "other-shop.myshopify.com")).toBe(
      "shpat_other_shop_token",
    );
  });

  it("fails permanently with missing_admin_token when the shop has neither", async () => {
    const error = await failureOf(adminTokenFor(env, settings, "tokenless.myshopify.com"));

    expect(error).toMatchObject({ name: "PermanentError", code: "missing_admin_token" });
  });
});

describe("the Admin client", () => {
  let standIn: StandInHandle;
  beforeEach(() => {
    standIn = installStandIn();
  });
  afterEach(() => standIn.restore());

  it("sends the stored OAuth token rather than the configured one", async () => {
    const { shop, ctx } = freshShop();
    await storeOauthToken(shop, "shpat_installed_via_oauth");

    await listOrdersUpdatedSince(ctx, shop, "2026-12-01T00:00:00Z");

    expect(
      standIn.requests.map((request) => request.headers.get("x-shopify-access-token")),
    ).toEqual(["shpat_installed_via_oauth"]);
  });

  it("sends the configured custom-app token when the shop never installed through OAuth", async () => {
    const { shop, ctx } = freshShop();

    await listOrdersUpdatedSince(ctx, shop, "2026-12-01T00:00:00Z");

    expect(standIn.requests[0]?.headers.get("x-shopify-access-token")).toMatch(/^shpat_\d+_token$/);
  });
});
