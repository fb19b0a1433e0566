import { hmacSha256, verifyHmacSha256 } from "../crypto/hmac";

/**
 * Shopify signs each webhook with `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the
 * raw body bytes under the app's client secret. During a secret rotation both the new and
 * the previous secret are valid.
 */
export type HmacVerdict =
  | { valid: true }
  | { valid: false; reason: "missing" | "malformed" | "mismatch" };

/**
 * Checks the signature against each secret. `crypto.subtle.verify` compares in constant
 * time, so no timing difference tells an attacker how much of a forged digest matched.
 */
export async function verifyWebhookHmac(
  body: BufferSource,
  header: string | undefined,
  secrets: readonly string[],
): Promise<HmacVerdict> {
  if (!header) return { valid: false, reason: "missing" };

  const signature = decodeBase64(header);
  if (signature?.byteLength !== 32) return { valid: false, reason: "malformed" };

  if (await verifyHmacSha256(secrets, signature, body)) return { valid: true };
  return { valid: false, reason: "mismatch" };
}

/** Signs `body` the way Shopify does; used by the local trigger script and tests. */
export async function signWebhookBody(
  body: BufferSource | string,
  secret: string,
): Promise<string> {
  return btoa(String.fromCharCode(...(await hmacSha256(secret, body))));
}

function decodeBase64(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  try {
    return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
  } catch {
    return undefined; // atob rejects bad padding: treat as a malformed signature.
  }
}
