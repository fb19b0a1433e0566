import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { z } from "zod";

/** Sent as `__Host-hub_console`: Secure, path `/`, no Domain, so no subdomain can set it. */
const COOKIE_NAME = "hub_console";

const SessionSchema = z.object({
  /** Random per login; CSRF tokens are bound to it. */
  sid: z.string().min(16),
  /** The ADMIN_TOKENS entry it was made from; its scopes are read afresh on every request. */
  token: z.string().min(1),
  exp: z.number().int(),
});
export type ConsoleSession = z.infer<typeof SessionSchema>;

/**
 * Starts a console session for the admin token named `token`: an HMAC-signed, HttpOnly,
 * Secure, SameSite=Strict cookie that expires after `ttlSeconds` (in the cookie and in
 * the signed value, so a replayed old cookie is refused even if a browser kept it).
 */
export async function startSession(
  c: Context,
  secret: string,
  token: string,
  ttlSeconds: number,
  now = Date.now(),
): Promise<ConsoleSession> {
  const session = { sid: crypto.randomUUID(), token, exp: now + ttlSeconds * 1000 };
  await setSignedCookie(c, COOKIE_NAME, JSON.stringify(session), secret, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: ttlSeconds,
    prefix: "host",
  });
  return session;
}

/** The request's session, or `undefined` when absent, tampered with or expired. */
export async function readSession(
  c: Context,
  secret: string,
  now = Date.now(),
): Promise<ConsoleSession | undefined> {
  const value = await getSignedCookie(c, secret, COOKIE_NAME, "host");
  if (!value) return undefined;

  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined; // Signed by us but unreadable: only an older format could do that.
  }
  const parsed = SessionSchema.safeParse(json);
  if (!parsed.success || parsed.data.exp <= now) return undefined;
  return parsed.data;
}

/** Tells the browser to drop the session cookie. */
export function endSession(c: Context): void {
  deleteCookie(c, COOKIE_NAME, { path: "/", secure: true, prefix: "host" });
}
