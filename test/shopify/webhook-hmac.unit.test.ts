import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookHmac } from "../../src/shopify/webhook-hmac";

const body = new TextEncoder().encode('{"id":1}');

describe("verifyWebhookHmac", () => {
  it("matches a digest computed independently with Web Crypto", async () => {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("s3cret"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const digest = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
    const expected = btoa(String.fromCharCode(...digest));

    expect(await signWebhookBody(body, "s3cret")).toBe(expected);
    expect(await verifyWebhookHmac(body, expected, ["s3cret"])).toEqual({ valid: true });
  });

  it("accepts any of the configured secrets", async () => {
    const signature = await signWebhookBody(body, "old");
    expect(await verifyWebhookHmac(body, signature, ["new", "old"])).toEqual({ valid: true });
  });

  it.each([
    [undefined, "missing"],
    ["", "missing"],
    ["not base64!", "malformed"],
    ["YWJj", "malformed"],
  ])("classifies header %j as %s", async (header, reason) => {
    expect(await verifyWebhookHmac(body, header, ["s3cret"])).toEqual({ valid: false, reason });
  });

  it("reports a mismatch for another secret", async () => {
    const signature = await signWebhookBody(body, "other");
    expect(await verifyWebhookHmac(body, signature, ["s3cret"])).toEqual({
      valid: false,
      reason: "mismatch",
    });
  });
});
