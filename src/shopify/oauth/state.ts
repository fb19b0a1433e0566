import { randomHex } from "../../crypto/hex";
import { sameSecret } from "../../http/security/constant-time";

/** How long a merchant has on Shopify's consent page before the install must start over. */
export const STATE_TTL_SECONDS = 600;

/** The cookie that binds a `state` to the browser that started the install. */
export const STATE_COOKIE = "hub_oauth_state";

/** A fresh, unguessable `state` nonce: 32 random bytes, hex. */
export function newState(): string {
  return randomHex(32);
}

/**
 * Compares the callback's `state` with the cookie's in constant time (both hashed first, so
 * neither content nor length leaks).
 */
export async function sameState(a: string, b: string): Promise<boolean> {
  return sameSecret(a, b);
}
