import { describe, expect, it } from "vitest";
import { PermanentError } from "../../../src/queues/errors";
import {
  openToken,
  sealToken,
  type TokenKeyring,
  TokenKeysSchema,
} from "../../../src/shopify/oauth/token-cipher";

const KEY_ONE = btoa("k".repeat(32));
const KEY_TWO = btoa("q".repeat(32));
const keyring: TokenKeyring = { keys: { one: KEY_ONE, two: KEY_TWO }, activeKid: "one" };
const SHOP = "cipher-shop.myshopify.com";
const TOKEN = "shpat_0123456789abcdef";

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("sealToken / openToken", () => {
  it("encrypts under the active key so the ciphertext is not the token, and decrypts back", async () => {
    const sealed = await sealToken(keyring, SHOP, TOKEN);

    expect(sealed.keyId).toBe("one");
    expect(atob(sealed.ciphertext)).not.toContain(TOKEN);
    expect(await openToken(keyring, SHOP, sealed)).toBe(TOKEN);
  });

  it("uses a fresh IV each time", async () => {
    const first = await sealToken(keyring, SHOP, TOKEN);
    const second = await sealToken(keyring, SHOP, TOKEN);

    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it("decrypts with the row's key after the active key changed", async () => {
    const sealed = await sealToken(keyring, SHOP, TOKEN);

    expect(await openToken({ ...keyring, activeKid: "two" }, SHOP, sealed)).toBe(TOKEN);
  });

  it("refuses a ciphertext moved onto another shop's row", async () => {
    const sealed = await sealToken(keyring, SHOP, TOKEN);

    const error = await failureOf(openToken(keyring, "other.myshopify.com", sealed));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: "token_undecryptable" });
  });

  it("names the missing key when the row's key was dropped", async () => {
    const sealed = await sealToken(keyring, SHOP, TOKEN);

    const error = await failureOf(
      openToken({ keys: { two: KEY_TWO }, activeKid: "two" }, SHOP, sealed),
    );

    expect(error).toMatchObject({ code: "token_key_missing" });
  });

  it("refuses to encrypt when the active key id names no key", async () => {
    const error = await failureOf(
      sealToken({ keys: { one: KEY_ONE }, activeKid: "nine" }, SHOP, TOKEN),
    );

    expect(error).toMatchObject({ code: "token_key_missing" });
  });
});

describe("TokenKeysSchema", () => {
  it("parses key ids to base64 32-byte keys, and empty to none", () => {
    expect(TokenKeysSchema.parse(JSON.stringify({ one: KEY_ONE }))).toEqual({ one: KEY_ONE });
    expect(TokenKeysSchema.parse("")).toEqual({});
    expect(TokenKeysSchema.parse(undefined)).toEqual({});
  });

  it.each([
    ["not JSON", "{"],
    ["a short key", JSON.stringify({ one: btoa("short") })],
    ["a key that is not base64", JSON.stringify({ one: "%%%" })],
    ["a bad key id", JSON.stringify({ "bad id": KEY_ONE })],
  ])("rejects %s", (_case, value) => {
    expect(TokenKeysSchema.safeParse(value).success).toBe(false);
  });
});
