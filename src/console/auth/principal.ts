import type { Context } from "hono";
import type { Settings } from "../../config/settings";
import type { AdminPrincipal } from "../../http/admin/principal";
import { ProblemError } from "../../http/problem";
import { RetryableError } from "../../queues/errors";
import { accessConfig, verifyAccessJwt } from "./access-jwt";
import { readSession } from "./session-cookie";

/** The header Cloudflare Access adds to every request it lets through. */
export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

/**
 * The principal behind a browser's ambient credentials: a Cloudflare Access JWT (when
 * Access is configured and the header is present) or else the console session cookie.
 * `undefined` when there is neither.
 * @throws {ProblemError} 401 `invalid_access_jwt` for a present but invalid Access token,
 *   503 `access_unavailable` when the team's signing keys cannot be fetched.
 */
export async function consolePrincipal(
  c: Context,
  settings: Settings,
): Promise<AdminPrincipal | undefined> {
  const access = accessConfig(settings);
  const jwt = c.req.header(ACCESS_JWT_HEADER);
  if (access && jwt) {
    const identity = await verifyAccessIdentity(access, jwt);
    const operator = identity.email
      ? settings.ACCESS_OPERATOR_EMAILS.includes(identity.email.toLowerCase())
      : false;
    return {
      name: identity.name,
      scopes: operator ? ["read", "operate"] : ["read"],
      via: "access",
      csrfKey: `access:${identity.subject}`,
    };
  }

  const secret = settings.CONSOLE_SESSION_SECRET;
  if (!secret) return undefined;
  const session = await readSession(c, secret);
  if (!session) return undefined;

  // Removing or narrowing a token in ADMIN_TOKENS takes effect on its sessions at once.
  const token = settings.ADMIN_TOKENS.find((candidate) => candidate.name === session.token);
  if (!token) return undefined;
  return {
    name: token.name,
    scopes: token.scopes,
    ...(token.shops ? { shops: token.shops } : {}),
    via: "session",
    csrfKey: session.sid,
  };
}

async function verifyAccessIdentity(
  access: NonNullable<ReturnType<typeof accessConfig>>,
  jwt: string,
) {
  try {
    const identity = await verifyAccessJwt(access, jwt);
    if (identity) return identity;
  } catch (error) {
    if (!(error instanceof RetryableError)) throw error;
    throw new ProblemError(
      503,
      "access_unavailable",
      "Cloudflare Access keys are unavailable",
      "The team's signing keys could not be fetched; try again shortly.",
      {},
      { "retry-after": "30" },
    );
  }
  throw new ProblemError(
    401,
    "invalid_access_jwt",
    "Cloudflare Access token not valid",
    "The Cf-Access-Jwt-Assertion header failed signature, issuer, audience or expiry checks.",
  );
}
