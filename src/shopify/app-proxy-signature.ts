/**
 * Shopify App Proxy signatures (shared/DESIGN.md §5): `signature` is the hex HMAC-SHA256,
 * keyed by the app's client secret, of every other query parameter sorted by name and
 * written `name=value` with nothing between them (a repeated name's values joined by ",").
 * Shopify signs no body and no path, and the timestamp is ours to check.
 */

import { bytesToHex, hexToBytes } from "../crypto/hex";
import { hmacSha256 } from "../crypto/hmac";

export type AppProxyVerdict =
  | { ok: true }
  | { ok: false; reason: "missing_signature" | "invalid_signature" | "stale_timestamp" };

/** The string Shopify signs for these query parameters. */
export function appProxyMessage(params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (name === "signature") continue;
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  return [...grouped.keys()]
    .sort()
    .map((name) => `${name}=${(grouped.get(name) ?? []).join(",")}`)
    .join("");
}

/** Hex HMAC-SHA256 of the App Proxy message with `secret` (tests sign with it too). */
export async function signAppProxyParams(params: URLSearchParams, secret: string): Promise<string> {
  return bytesToHex(await hmacSha256(secret, appProxyMessage(params)));
}

/**
 * Checks a proxied request's query against each secret (current and, during a rotation,
 * previous) in constant time, then that `timestamp` is within `maxAgeSeconds` of `now`.
 * The signature is checked first so an unsigned request learns nothing about the clock.
 */
export async function verifyAppProxyRequest(
  params: URLSearchParams,
  secrets: readonly string[],
  maxAgeSeconds: number,
  nowMs = Date.now(),
): Promise<AppProxyVerdict> {
  const presented = params.get("signature");
  if (!presented || !/^[0-9a-f]{64}$/i.test(presented)) {
    return { ok: false, reason: "missing_signature" };
  }

  let valid = false;
  for (const secret of secrets) {
    const expected = await signAppProxyParams(params, secret);
    if (crypto.subtle.timingSafeEqual(hexToBytes(expected), hexToBytes(presented.toLowerCase()))) {
      valid = true;
    }
  }
  if (!valid) return { ok: false, reason: "invalid_signature" };

  const timestamp = Number(params.get("timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > maxAgeSeconds) {
    return { ok: false, reason: "stale_timestamp" };
  }
  return { ok: true };
}
