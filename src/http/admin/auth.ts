import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AdminScope } from "../../config/settings";
import { isValidCsrfToken } from "../../console/auth/csrf-token";
import { consolePrincipal } from "../../console/auth/principal";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";
import { sameSecret } from "../security/constant-time";
import type { AdminPrincipal } from "./principal";
import { enforceTenancy, type Tenancy } from "./tenancy";

export type { AdminPrincipal } from "./principal";

export interface AdminEnv extends HubEnv {
  Variables: HubEnv["Variables"] & { admin: AdminPrincipal };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The header a console script sends its CSRF token in; forms use the `_csrf` field. */
export const CSRF_HEADER = "x-csrf-token";

/**
 * Requires a caller holding `scope`: `Authorization: Bearer <token>` naming one of
 * ADMIN_TOKENS, or else the console's session cookie or Cloudflare Access JWT, which
 * must also carry the session's CSRF token on state-changing methods. 401 when no valid
 * credential is presented, 403 when it lacks the scope, fails CSRF or names another
 * shop. `tenancy` says how a shop-restricted token may use the route (./tenancy.ts);
 * the default, `shop`, needs `?shop=` naming one of its shops.
 */
export function requireScope(scope: AdminScope, options: { tenancy?: Tenancy } = {}) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const principal = await authenticate(c);
    if (!principal.scopes.includes(scope)) {
      throw new ProblemError(
        403,
        "insufficient_scope",
        "Admin token lacks the required scope",
        `This call needs the "${scope}" scope.`,
        { requiredScope: scope },
      );
    }
    if (principal.csrfKey !== undefined && !SAFE_METHODS.has(c.req.method)) {
      await requireCsrf(c, principal.csrfKey);
    }
    enforceTenancy(principal, options.tenancy ?? "shop", c.req.query("shop"));

    c.set("admin", principal);
    c.set("logger", c.var.logger.with({ admin: principal.name, adminVia: principal.via }));
    await next();
  });
}

async function authenticate(c: Context<AdminEnv>): Promise<AdminPrincipal> {
  const header = c.req.header("authorization");
  if (header === undefined) {
    const principal = await consolePrincipal(c, c.var.settings);
    if (principal) return principal;
  }

  const presented = /^Bearer (\S+)$/i.exec(header ?? "")?.[1];
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
  let match: AdminPrincipal | undefined;
  for (const candidate of c.var.settings.ADMIN_TOKENS) {
    if (await sameSecret(presented, candidate.token)) {
      const { name, scopes, shops } = candidate;
      match = { name, scopes, ...(shops ? { shops } : {}), via: "token" };
    }
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
  return match;
}

async function requireCsrf(c: Context<AdminEnv>, csrfKey: string): Promise<void> {
  const secret = c.var.settings.CONSOLE_SESSION_SECRET;
  const presented = c.req.header(CSRF_HEADER);
  if (!secret || !presented || !(await isValidCsrfToken(secret, csrfKey, presented))) {
    throw new ProblemError(
      403,
      "csrf_failed",
      "CSRF token missing or wrong",
      `A console request that changes state must send the session's token in ${CSRF_HEADER}.`,
    );
  }
}
