/**
 * Shopify signs the query of the install and callback requests it sends through the
 * merchant's browser: `hmac` is the hex HMAC-SHA256, under the app's client secret, of the
 * other parameters sorted by name and form-encoded (`code=…&shop=…&state=…&timestamp=…`).
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 */

// How far a signed request's `timestamp` may be from now. The browser hop takes seconds;
// a few minutes absorb clock skew without letting an intercepted link live on.
export const QUERY_MAX_AGE_SECONDS = 300;

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keyCache.set(secret, key);
  }
  return key;
}

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

  const signature = Uint8Array.from(hmac.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  const message = new TextEncoder().encode(signedMessage(query));
  let matched = false;
  for (const secret of secrets) {
    if (await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, message)) {
      matched = true;
      break;
    }
  }
  if (!matched) return { valid: false, reason: "mismatch" };

  const timestamp = Number(query.get("timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > QUERY_MAX_AGE_SECONDS) {
    return { valid: false, reason: "stale" };
  }
  return { valid: true };
}

/** Signs `query` as Shopify would, returning the hex `hmac`; for tests and scripts. */
export async function signQuery(query: URLSearchParams, secret: string): Promise<string> {
  const message = new TextEncoder().encode(signedMessage(query));
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), message));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
