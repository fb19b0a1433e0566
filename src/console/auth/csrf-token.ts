import { hmacSha256 } from "../../crypto/hmac";
import { sameSecret } from "../../http/security/constant-time";

/**
 * The CSRF token for a console principal: HMAC-SHA256 of its session key under the
 * console secret. Stateless (nothing stored), bound to one session, and unforgeable
 * without the secret. Forms carry it as `_csrf`, scripts as `X-CSRF-Token`.
 */
export async function csrfTokenFor(secret: string, sessionKey: string): Promise<string> {
  return base64url(await hmacSha256(secret, `csrf:${sessionKey}`));
}

/** Whether `presented` is the CSRF token of `sessionKey`, compared in constant time. */
export async function isValidCsrfToken(
  secret: string,
  sessionKey: string,
  presented: string,
): Promise<boolean> {
  return sameSecret(presented, await csrfTokenFor(secret, sessionKey));
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
