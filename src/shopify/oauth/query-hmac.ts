import { bytesToHex, hexToBytes } from "../../crypto/hex";
import { hmacSha256, verifyHmacSha256 } from "../../crypto/hmac";

/**
 * Shopify signs the query of the install and callback requests it sends through the
 * merchant's browser: `hmac` is the hex HMAC-SHA256, under the app's client secret, of the
 * other parameters sorted by name and form-encoded (`code=…&shop=…&state=…&timestamp=…`).
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 */

// How far a signed request's `timestamp` may be from now. The browser hop takes seconds;
// a few minutes absorb clock skew without letting an intercepted link live on.
export const QUERY_MAX_AGE_SECONDS = 300;

/** The signed message: every parameter but `hmac` (and the legacy `signature`), sorted. */
export function signedMessage(query: URLSearchParams): string {
  const entries = [...query.entries()]
    .filter(([name]) => name !== "hmac" && name !== "signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries).toString();
}

export type QueryVerdict =
  | { valid: true }
  | { valid: false; reason: "missing" | "malformed" | "mismatch" | "stale" };

/**
 * Checks `hmac` against each secret (current, then previous during a rotation) in constant
 * time, then that `timestamp` is within {@link QUERY_MAX_AGE_SECONDS} of `nowMs`.
 */
export async function verifyQueryHmac(
  query: URLSearchParams,
  secrets: readonly string[],
  nowMs = Date.now(),
): Promise<QueryVerdict> {
  const hmac = query.get("hmac");
  if (!hmac) return { valid: false, reason: "missing" };
  if (!/^[0-9a-f]{64}$/i.test(hmac)) return { valid: false, reason: "malformed" };

  const message = new TextEncoder().encode(signedMessage(query));
  if (!(await verifyHmacSha256(secrets, hexToBytes(hmac), message))) {
    return { valid: false, reason: "mismatch" };
  }

  const timestamp = Number(query.get("timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > QUERY_MAX_AGE_SECONDS) {
    return { valid: false, reason: "stale" };
  }
  return { valid: true };
}

/** Signs `query` as Shopify would, returning the hex `hmac`; for tests and scripts. */
export async function signQuery(query: URLSearchParams, secret: string): Promise<string> {
  return bytesToHex(await hmacSha256(secret, signedMessage(query)));
}
