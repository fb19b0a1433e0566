/** How long a merchant has on Shopify's consent page before the install must start over. */
export const STATE_TTL_SECONDS = 600;

/** The cookie that binds a `state` to the browser that started the install. */
export const STATE_COOKIE = "hub_oauth_state";

/** A fresh, unguessable `state` nonce: 32 random bytes, hex. */
export function newState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const encoder = new TextEncoder();

/**
 * Compares the callback's `state` with the cookie's in constant time (both hashed first, so
 * neither content nor length leaks).
 */
export async function sameState(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(left, right);
}
