import { createMiddleware } from "hono/factory";
import type { AdminScope, AdminToken } from "../../config/settings";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";

export interface AdminEnv extends HubEnv {
  Variables: HubEnv["Variables"] & { admin: AdminToken };
}

const encoder = new TextEncoder();

/**
 * Compares two strings in constant time. Both sides are hashed first so the comparison
 * always runs over 32 bytes, whatever the lengths, and leaks neither content nor length.
 */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(left, right);
}

/**
 * Requires `Authorization: Bearer <token>` naming one of ADMIN_TOKENS whose scopes include
 * `scope`. 401 when no valid token is presented, 403 when the token lacks the scope.
 */
export function requireScope(scope: AdminScope) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const presented = /^Bearer (\S+)$/i.exec(header)?.[1];
    if (!presented) {
      throw new ProblemError(
        401,
        "missing_token",
        "Admin token required",
        "Send Authorization: Bearer <token>.",
        {},
        { "www-authenticate": 'Bearer realm="shopify-edge-hub"' },
      );
    }

    // Check every configured token so the time taken does not reveal which one matched.
    let match: AdminToken | undefined;
    for (const candidate of c.var.settings.ADMIN_TOKENS) {
      if (await sameSecret(presented, candidate.token)) match = candidate;
    }
    if (!match) {
      throw new ProblemError(
        401,
        "invalid_token",
        "Admin token not recognised",
        undefined,
        {},
        { "www-authenticate": 'Bearer realm="shopify-edge-hub", error="invalid_token"' },
      );
    }
    if (!match.scopes.includes(scope)) {
      throw new ProblemError(
        403,
        "insufficient_scope",
        "Admin token lacks the required scope",
        `This call needs the "${scope}" scope.`,
        { requiredScope: scope },
      );
    }

    c.set("admin", match);
    c.set("logger", c.var.logger.with({ admin: match.name }));
    await next();
  });
}
