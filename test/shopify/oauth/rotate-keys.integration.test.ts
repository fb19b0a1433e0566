import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { findShopToken, revokeShopToken, saveShopToken } from "../../../src/db/shop-tokens";
import { reencryptTokens } from "../../../src/shopify/oauth/rotate-keys";
import { openToken, sealToken, type TokenKeyring } from "../../../src/shopify/oauth/token-cipher";
import { envWith, fetchWith } from "../../support/env";

const db = openDatabase(env.DB);
const OLD_KEY = btoa("o".repeat(32));
const NEW_KEY = btoa("n".repeat(32));
const before: TokenKeyring = { keys: { old: OLD_KEY }, activeKid: "old" };
const after: TokenKeyring = { keys: { old: OLD_KEY, new: NEW_KEY }, activeKid: "new" };

let counter = 0;
async function installedShop(keyring = before): Promise<{ shop: string; token: string }> {
  counter += 1;
  const shop = `rotate-${counter}-${crypto.randomUUID().slice(0, 8)}.myshopify.com`;
  const token = `shpat_rotate_${counter}`;
  await saveShopToken(db, {
    shop,
    sealed: await sealToken(keyring, shop, token),
    scopes: "write_orders",
  });
  return { shop, token };
}

async function storedToken(shop: string, keyring: TokenKeyring) {
  const row = await findShopToken(db, shop);
  if (!row?.ciphertext || !row.iv || !row.keyId) return { keyId: row?.keyId ?? null };
  const token = await openToken(keyring, shop, {
    ciphertext: row.ciphertext,
    iv: row.iv,
    keyId: row.keyId,
  });
  return { keyId: row.keyId, token };
}

describe("reencryptTokens", () => {
  it("moves every live token to the active key, and a second run finds nothing to do", async () => {
    const first = await installedShop();
    const second = await installedShop();

    const report = await reencryptTokens(db, after);
    const again = await reencryptTokens(db, after);

    expect(report).toMatchObject({ activeKid: "new", failed: [], remaining: 0 });
    expect(report.reencrypted).toBeGreaterThanOrEqual(2);
    expect(again).toMatchObject({ reencrypted: 0, remaining: 0 });
    expect(await storedToken(first.shop, { keys: { new: NEW_KEY }, activeKid: "new" })).toEqual({
      keyId: "new",
      token: first.token,
    });
    expect(await storedToken(second.shop, after)).toEqual({ keyId: "new", token: second.token });
  });

  it("leaves revoked tokens alone", async () => {
    const { shop } = await installedShop();
    await revokeShopToken(db, shop, Date.now());

    await reencryptTokens(db, after);

    expect(await findShopToken(db, shop)).toMatchObject({ ciphertext: null, keyId: null });
  });

  it("reports a token whose key is gone and carries on with the others", async () => {
    const lost = await installedShop({ keys: { gone: btoa("g".repeat(32)) }, activeKid: "gone" });
    const fine = await installedShop();

    const report = await reencryptTokens(db, after);

    expect(report.failed).toContainEqual({
      shop: lost.shop,
      keyId: "gone",
      code: "token_key_missing",
    });
    expect(report.remaining).toBeGreaterThanOrEqual(1);
    expect(await storedToken(fine.shop, after)).toEqual({ keyId: "new", token: fine.token });
  });
});

describe("POST /admin/api/shops/rotate-token-key", () => {
  const rotating = envWith({
    TOKEN_ENCRYPTION_KEYS: JSON.stringify({ old: OLD_KEY, new: NEW_KEY }),
    TOKEN_ENCRYPTION_ACTIVE_KID: "new",
  });
  const call = (token: string, testEnv = rotating) =>
    fetchWith(
      testEnv,
      new Request("https://hub.test/admin/api/shops/rotate-token-key", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      }),
    );

  it("re-encrypts with the operate scope and reports what it did", async () => {
    const { shop, token } = await installedShop();

    const response = await call("operator-token-0123456789");

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      activeKid: "new",
      remaining: expect.any(Number),
    });
    expect(await storedToken(shop, after)).toEqual({ keyId: "new", token });
  });

  it("refuses a read-only token", async () => {
    const response = await call("viewer-token-0123456789ab");

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "insufficient_scope" });
  });

  it("answers 409 token_key_missing when the active key id names no key", async () => {
    const response = await call(
      "operator-token-0123456789",
      envWith({ TOKEN_ENCRYPTION_ACTIVE_KID: "missing" }),
    );

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ reason: "token_key_missing" });
  });
});
