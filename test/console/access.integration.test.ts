import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HUB_ORIGIN } from "../support/console";
import { envWith, fetchWith } from "../support/env";

const TEAM = "https://hub-team.cloudflareaccess.com";
const AUD = "aud-0123456789abcdef";
const CERTS = "http://access.test/cdn-cgi/access/certs";

const testEnv = envWith({
  ACCESS_TEAM_DOMAIN: TEAM,
  ACCESS_AUD: AUD,
  ACCESS_CERTS_URL: CERTS,
  ACCESS_OPERATOR_EMAILS: "ops@example.com",
});

let teamKey: CryptoKeyPair;
let strangerKey: CryptoKeyPair;

beforeAll(async () => {
  teamKey = await generateKeyPair("RS256", { extractable: true });
  strangerKey = await generateKeyPair("RS256", { extractable: true });
});

afterEach(() => vi.restoreAllMocks());

/** Serves the team's JWKS at CERTS, as Access publishes it. */
async function serveTeamKeys() {
  const jwk = { ...(await exportJWK(teamKey.publicKey)), kid: "team-1", alg: "RS256", use: "sig" };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === CERTS) return Promise.resolve(Response.json({ keys: [jwk] }));
    return realFetch(input, init);
  });
}

function token(claims: { email: string; aud?: string; iss?: string }, key = teamKey.privateKey) {
  return new SignJWT({ email: claims.email })
    .setProtectedHeader({ alg: "RS256", kid: "team-1" })
    .setSubject(`user-${claims.email}`)
    .setIssuer(claims.iss ?? TEAM)
    .setAudience(claims.aud ?? AUD)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

function overview(jwt: string) {
  return fetchWith(
    testEnv,
    new Request(`${HUB_ORIGIN}/admin`, { headers: { "cf-access-jwt-assertion": jwt } }),
  );
}

describe("Cloudflare Access login", () => {
  it("signs an operator in from a valid Access token", async () => {
    await serveTeamKeys();
    const response = await overview(await token({ email: "ops@example.com" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("ops@example.com (read, operate)");
  });

  it("gives other Access users the read scope only", async () => {
    await serveTeamKeys();
    const response = await overview(await token({ email: "analyst@example.com" }));
    expect(await response.text()).toContain("analyst@example.com (read)");
  });

  it.each([
    ["another application's audience", { email: "ops@example.com", aud: "other-app" }],
    [
      "another team's issuer",
      { email: "ops@example.com", iss: "https://evil.cloudflareaccess.com" },
    ],
  ])("refuses %s", async (_case, claims) => {
    await serveTeamKeys();
    const response = await overview(await token(claims));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "invalid_access_jwt" });
  });

  it("refuses a token signed by a key the team did not publish", async () => {
    await serveTeamKeys();
    const response = await overview(
      await token({ email: "ops@example.com" }, strangerKey.privateKey),
    );
    expect(response.status).toBe(401);
  });

  it("answers 503 when the team's keys cannot be fetched", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(() =>
      Promise.resolve(new Response("down", { status: 502 })),
    );
    const response = await fetchWith(
      envWith({
        ACCESS_TEAM_DOMAIN: TEAM,
        ACCESS_AUD: AUD,
        ACCESS_CERTS_URL: "http://down.test/certs",
      }),
      new Request(`${HUB_ORIGIN}/admin`, {
        headers: { "cf-access-jwt-assertion": await token({ email: "ops@example.com" }) },
      }),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ reason: "access_unavailable" });
  });
});
