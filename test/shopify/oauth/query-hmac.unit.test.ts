import { describe, expect, it } from "vitest";
import {
  QUERY_MAX_AGE_SECONDS,
  signedMessage,
  signQuery,
  verifyQueryHmac,
} from "../../../src/shopify/oauth/query-hmac";

const SECRET = "hush";
const NOW_MS = 1_337_178_173_000;

async function signed(params: Record<string, string>, secret = SECRET): Promise<URLSearchParams> {
  const query = new URLSearchParams({ timestamp: String(NOW_MS / 1000), ...params });
  query.set("hmac", await signQuery(query, secret));
  return query;
}

describe("signedMessage", () => {
  it("sorts the parameters by name and leaves hmac and signature out", () => {
    const query = new URLSearchParams("timestamp=1&shop=a.myshopify.com&hmac=x&code=c&signature=s");

    expect(signedMessage(query)).toBe("code=c&shop=a.myshopify.com&timestamp=1");
  });
});

describe("verifyQueryHmac", () => {
  it("accepts a query signed with the current secret", async () => {
    const query = await signed({ shop: "a.myshopify.com", code: "abc", state: "n1" });

    expect(await verifyQueryHmac(query, [SECRET], NOW_MS)).toEqual({ valid: true });
  });

  it("accepts a query signed with the previous secret during a rotation", async () => {
    const query = await signed({ shop: "a.myshopify.com" }, "old");

    expect(await verifyQueryHmac(query, [SECRET, "old"], NOW_MS)).toEqual({ valid: true });
  });

  it.each([
    ["missing", (query: URLSearchParams) => query.delete("hmac")],
    ["malformed", (query: URLSearchParams) => query.set("hmac", "not-hex")],
    ["mismatch", (query: URLSearchParams) => query.set("shop", "b.myshopify.com")],
  ] as const)("reports %s", async (reason, tamper) => {
    const query = await signed({ shop: "a.myshopify.com" });
    tamper(query);

    expect(await verifyQueryHmac(query, [SECRET], NOW_MS)).toEqual({ valid: false, reason });
  });

  it("rejects a correctly signed query whose timestamp is too old", async () => {
    const query = await signed({ shop: "a.myshopify.com" });
    const later = NOW_MS + (QUERY_MAX_AGE_SECONDS + 1) * 1000;

    expect(await verifyQueryHmac(query, [SECRET], later)).toEqual({
      valid: false,
      reason: "stale",
    });
  });

  it("rejects a signed query without a timestamp", async () => {
    const query = new URLSearchParams({ shop: "a.myshopify.com" });
    query.set("hmac", await signQuery(query, SECRET));

    expect(await verifyQueryHmac(query, [SECRET], NOW_MS)).toEqual({
      valid: false,
      reason: "stale",
    });
  });
});
