import { Hono } from "hono";
import { z } from "zod";
// Only pure src helpers (no Worker bindings) may be imported here; src never imports sandbox.
import { bytesToHex, randomHex } from "../../src/crypto/hex";
import { hmacSha256 } from "../../src/crypto/hmac";

/** What the OAuth stand-in needs to sign like Shopify: the app's client secret. */
export interface OauthStandInOptions {
  /** The hub's SHOPIFY_API_SECRET; without it the OAuth routes answer 503. */
  apiSecret?: string;
  now?: () => number;
}

interface IssuedCode {
  shop: string;
  clientId: string;
  scope: string;
  expiresAt: number;
}

// Shopify's codes are single use and short-lived; a minute is plenty for a redirect.
const CODE_TTL_MS = 60_000;

/** Codes issued and tokens granted, in memory, for the control API and resets. */
export class OauthGrants {
  readonly codes = new Map<string, IssuedCode>();
  /** Every token granted, newest last, with its shop and scope. */
  readonly tokens: { shop: string; accessToken: string; scope: string }[] = [];

  reset(): void {
    this.codes.clear();
    this.tokens.length = 0;
  }
}

const AuthorizeQuerySchema = z.object({
  client_id: z.string().min(1),
  scope: z.string(),
  redirect_uri: z.url(),
  state: z.string().min(1),
});

const ExchangeSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  code: z.string().min(1),
});

/**
 * Shopify's side of the authorization code grant, for local runs and tests: the consent
 * page approves at once and redirects back with a code and a signed query, and the token
 * endpoint trades a code (once) for an offline token. Mounted under `/:shop` beside the
 * GraphQL stand-in, so SHOPIFY_ADMIN_URL reaches both.
 */
export function oauthStandIn(grants: OauthGrants, options: OauthStandInOptions): Hono {
  const app = new Hono();
  const now = options.now ?? Date.now;

  app.get("/:shop/admin/oauth/authorize", async (c) => {
    if (!options.apiSecret) return notConfigured(c.req.param("shop"));
    const query = AuthorizeQuerySchema.safeParse(c.req.query());
    if (!query.success) return c.json({ error: z.prettifyError(query.error) }, 400);

    const shop = c.req.param("shop");
    const code = randomHex(16);
    grants.codes.set(code, {
      shop,
      clientId: query.data.client_id,
      scope: query.data.scope,
      expiresAt: now() + CODE_TTL_MS,
    });

    const back = new URLSearchParams({
      code,
      host: btoa(`${shop}/admin`),
      shop,
      state: query.data.state,
      timestamp: String(Math.floor(now() / 1000)),
    });
    back.set("hmac", bytesToHex(await hmacSha256(options.apiSecret, sortedQuery(back))));
    return c.redirect(`${query.data.redirect_uri}?${back}`, 302);
  });

  app.post("/:shop/admin/oauth/access_token", async (c) => {
    if (!options.apiSecret) return notConfigured(c.req.param("shop"));
    const body = ExchangeSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: "invalid_request" }, 400);

    const issued = grants.codes.get(body.data.code);
    grants.codes.delete(body.data.code);
    const valid =
      issued !== undefined &&
      issued.shop === c.req.param("shop") &&
      issued.clientId === body.data.client_id &&
      issued.expiresAt > now() &&
      body.data.client_secret === options.apiSecret;
    if (!valid) {
      return c.json(
        {
          error: "invalid_request",
          error_description: "The authorization code was not found or was already used",
        },
        400,
      );
    }

    const accessToken = `shpat_sandbox_${randomHex(16)}`;
    grants.tokens.push({ shop: issued.shop, accessToken, scope: issued.scope });
    return c.json({ access_token: accessToken, scope: issued.scope });
  });

  return app;
}

function notConfigured(shop: string): Response {
  return Response.json(
    { errors: `OAuth stand-in for ${shop} has no client secret: set SHOPIFY_API_SECRET` },
    { status: 503 },
  );
}

/** The message Shopify signs: every parameter but `hmac`, sorted by name, form-encoded. */
function sortedQuery(query: URLSearchParams): string {
  const entries = [...query.entries()].filter(([name]) => name !== "hmac");
  entries.sort(([a], [b]) => a.localeCompare(b));
  return new URLSearchParams(entries).toString();
}
