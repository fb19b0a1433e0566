import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openDatabase } from "../../src/db/client";
import { getInstallationStatus } from "../../src/db/compliance";
import { findShopToken } from "../../src/db/shop-tokens";
import { signQuery } from "../../src/shopify/oauth/query-hmac";
import { openToken } from "../../src/shopify/oauth/token-cipher";
import { installStandIn, type StandInHandle } from "../shopify/admin/stand-in-fetch";
import { SECRET } from "../support/webhooks";

const SHOP = "test-shop.myshopify.com";
const STAND_IN = "http://sandbox.test/shopify";
const GrantedTokensSchema = z.object({ tokens: z.array(z.object({ accessToken: z.string() })) });
const HUB = "https://hub.test";
const db = openDatabase(env.DB);
const keyring = {
  keys: JSON.parse(env.TOKEN_ENCRYPTION_KEYS) as Record<string, string>,
  activeKid: env.TOKEN_ENCRYPTION_ACTIVE_KID,
};

let standIn: StandInHandle;

beforeEach(() => {
  standIn = installStandIn({ apiSecret: SECRET });
});
afterEach(() => standIn.restore());

function hub(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${HUB}${path}`, { headers, redirect: "manual" }));
}

/** Starts an install: the hub's redirect and the state cookie it set. */
async function startInstall(shop = SHOP) {
  const response = await hub(`/auth/install?shop=${shop}`);
  const location = new URL(response.headers.get("location") ?? "");
  const cookie = /hub_oauth_state=([0-9a-f]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
  return { response, location, cookie: `hub_oauth_state=${cookie}` };
}

/** Lets the stand-in's consent page approve, returning the callback URL Shopify sends back. */
async function approve(authorize: URL): Promise<URL> {
  const consent = await fetch(authorize, { redirect: "manual" });
  expect(consent.status).toBe(302);
  return new URL(consent.headers.get("location") ?? "");
}

async function resign(query: URLSearchParams): Promise<URLSearchParams> {
  query.delete("hmac");
  query.set("hmac", await signQuery(query, SECRET));
  return query;
}

describe("GET /auth/install", () => {
  it("redirects to the shop's consent page with the client id, scopes, callback and a state", async () => {
    const { response, location, cookie } = await startInstall();

    expect(response.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(
      `${STAND_IN}/${SHOP}/admin/oauth/authorize`,
    );
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: "test-client-id",
      scope:
        "write_orders,read_customers,read_shopify_payments_payouts,write_inventory,read_locations",
      redirect_uri: `${HUB}/auth/callback`,
      state: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(cookie).toBe(`hub_oauth_state=${location.searchParams.get("state")}`);
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(response.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
    expect(response.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("verifies Shopify's signature when the request carries one", async () => {
    const query = await resign(
      new URLSearchParams({ shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)) }),
    );
    const good = await hub(`/auth/install?${query}`);
    query.set("hmac", "0".repeat(64));
    const bad = await hub(`/auth/install?${query}`);

    expect(good.status).toBe(302);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ reason: "invalid_signature", signature: "mismatch" });
  });

  it.each([
    ["a domain that is not *.myshopify.com", "evil.example.com", 400, "invalid_shop"],
    ["a shop the hub does not serve", "stranger.myshopify.com", 403, "unknown_shop"],
  ])("refuses %s", async (_case, shop, status, reason) => {
    const response = await hub(`/auth/install?shop=${shop}`);

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });
});

describe("GET /auth/callback", () => {
  it("stores the granted token encrypted and marks the shop installed", async () => {
    const { location, cookie } = await startInstall();
    const callback = await approve(location);

    const response = await hub(`${callback.pathname}${callback.search}`, { cookie });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "installed",
      shop: SHOP,
      scopes: location.searchParams.get("scope")?.split(","),
      missingScopes: [],
    });
    const {
      tokens: [granted],
    } = GrantedTokensSchema.parse(await (await fetch(`${STAND_IN}/_control/oauth/tokens`)).json());
    const row = await findShopToken(db, SHOP);
    expect(row?.keyId).toBe("test-1");
    expect(row?.ciphertext).toBeTruthy();
    expect(row?.ciphertext).not.toContain(granted?.accessToken);
    if (!row?.ciphertext || !row.iv || !row.keyId) throw new Error("no stored token");
    expect(
      await openToken(keyring, SHOP, { ciphertext: row.ciphertext, iv: row.iv, keyId: row.keyId }),
    ).toBe(granted?.accessToken);
    expect(await getInstallationStatus(db, SHOP)).toBe("active");
  });

  it("refuses a tampered query", async () => {
    const { location, cookie } = await startInstall();
    const callback = await approve(location);
    callback.searchParams.set("code", "forged");

    const response = await hub(`${callback.pathname}${callback.search}`, { cookie });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "invalid_signature" });
  });

  it("refuses a state this browser was not given", async () => {
    const { location } = await startInstall();
    const { cookie: otherBrowser } = await startInstall();
    const callback = await approve(location);

    const response = await hub(`${callback.pathname}${callback.search}`, { cookie: otherBrowser });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "invalid_state" });
  });

  it("refuses a state it never issued, even when signed and matching the cookie", async () => {
    const query = await resign(
      new URLSearchParams({
        code: "c0de",
        shop: SHOP,
        state: "f".repeat(64),
        timestamp: String(Math.floor(Date.now() / 1000)),
      }),
    );

    const response = await hub(`/auth/callback?${query}`, {
      cookie: `hub_oauth_state=${"f".repeat(64)}`,
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "invalid_state" });
  });

  it("refuses a replayed callback: a state is good once", async () => {
    const { location, cookie } = await startInstall();
    const callback = await approve(location);
    const first = await hub(`${callback.pathname}${callback.search}`, { cookie });

    const replay = await hub(`${callback.pathname}${callback.search}`, { cookie });

    expect(first.status).toBe(200);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ reason: "invalid_state" });
  });

  it("refuses a state issued for another shop", async () => {
    const { location, cookie } = await startInstall("other-shop.myshopify.com");
    const callback = await approve(location);
    const query = new URLSearchParams(callback.search);
    query.set("shop", SHOP);

    const response = await hub(`/auth/callback?${await resign(query)}`, { cookie });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "invalid_state" });
  });

  it("refuses a shop the hub does not serve", async () => {
    const query = await resign(
      new URLSearchParams({
        code: "c0de",
        shop: "stranger.myshopify.com",
        state: "a".repeat(64),
        timestamp: String(Math.floor(Date.now() / 1000)),
      }),
    );

    const response = await hub(`/auth/callback?${query}`, {
      cookie: `hub_oauth_state=${"a".repeat(64)}`,
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "unknown_shop" });
  });

  it("answers 502 when Shopify refuses the code, and stores nothing", async () => {
    const { location, cookie } = await startInstall("other-shop.myshopify.com");
    const callback = await approve(location);
    standIn.answerWith(async () => Response.json({ error: "invalid_request" }, { status: 400 }));

    const response = await hub(`${callback.pathname}${callback.search}`, { cookie });

    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ reason: "token_exchange_rejected" });
    expect(await findShopToken(db, "other-shop.myshopify.com")).toBeUndefined();
  });
});
