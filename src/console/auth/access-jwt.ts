import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { z } from "zod";
import type { Settings } from "../../config/settings";
import { RetryableError } from "../../queues/errors";

/** The claims of a Cloudflare Access application token the console uses. */
const AccessClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().min(1).optional(),
  common_name: z.string().min(1).optional(),
});
export type AccessIdentity = { subject: string; email?: string; name: string };

export interface AccessConfig {
  issuer: string;
  audience: string;
  certsUrl: string;
}

/** Access verification is on when both the team domain and the audience tag are set. */
export function accessConfig(settings: Settings): AccessConfig | undefined {
  if (!settings.ACCESS_TEAM_DOMAIN || !settings.ACCESS_AUD) return undefined;
  const issuer = new URL(settings.ACCESS_TEAM_DOMAIN).origin;
  return {
    issuer,
    audience: settings.ACCESS_AUD,
    certsUrl: settings.ACCESS_CERTS_URL ?? `${issuer}/cdn-cgi/access/certs`,
  };
}

// One key set per certs URL per isolate: jose caches the keys and refetches on an unknown
// `kid`, which is how Access key rotation reaches us.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetFor(url: string) {
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
    keySets.set(url, keySet);
  }
  return keySet;
}

/**
 * Verifies a `Cf-Access-Jwt-Assertion`: RS256 signature against the team's published
 * keys, issuer, audience and expiry. Returns the identity, or `undefined` when the token
 * is not valid (forged, expired, another application's).
 * @throws {RetryableError} `access_certs_unavailable` when the team's keys cannot be fetched.
 */
export async function verifyAccessJwt(
  config: AccessConfig,
  jwt: string,
): Promise<AccessIdentity | undefined> {
  try {
    const { payload } = await jwtVerify(jwt, keySetFor(config.certsUrl), {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ["RS256"],
    });
    const claims = AccessClaimsSchema.safeParse(payload);
    if (!claims.success) return undefined;
    const { sub, email, common_name } = claims.data;
    return { subject: sub, email, name: email ?? common_name ?? sub };
  } catch (error) {
    if (isKeySetUnavailable(error)) {
      throw new RetryableError("access_certs_unavailable", "Access signing keys unavailable", {
        cause: error,
      });
    }
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}

function isKeySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // A network failure surfaces as fetch's TypeError; a non-200 answer only as a plain
  // JOSEError whose message says so.
  if (error instanceof TypeError) return true;
  return error instanceof errors.JOSEError && error.message.includes("200 OK");
}
