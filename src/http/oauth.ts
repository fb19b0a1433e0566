import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Settings } from "../config/settings";
import { ShopDomainSchema } from "../config/settings";
import { consumeOauthState, saveOauthState } from "../db/oauth-states";
import { PermanentError, RetryableError } from "../queues/errors";
import { exchangeCode, type GrantedToken } from "../shopify/oauth/access-token";
import { tokenKeyring } from "../shopify/oauth/admin-token";
import { authorizeUrl } from "../shopify/oauth/authorize-url";
import { completeInstall } from "../shopify/oauth/installation";
import { verifyQueryHmac } from "../shopify/oauth/query-hmac";
import { missingScopes } from "../shopify/oauth/scopes";
import { newState, STATE_COOKIE, STATE_TTL_SECONDS, sameState } from "../shopify/oauth/state";
import { activeKeyId } from "../shopify/oauth/token-cipher";
import type { HubEnv } from "./context";
import { ProblemError } from "./problem";

/**
 * `/auth`: installing the hub on a shop through Shopify's authorization code grant
 * (docs/install.md). `GET /auth/install` sends the merchant to Shopify's consent page;
 * `GET /auth/callback` takes the code back and stores the shop's offline token, encrypted.
 */
export const oauthRoutes = new Hono<HubEnv>();

const SIGNATURE_PROBLEMS = {
  missing: "The hmac query parameter is missing.",
  malformed: "The hmac query parameter is not a hex SHA-256 digest.",
  mismatch: "The hmac query parameter does not match the query.",
  stale: "The request's timestamp is missing or too far from now.",
} as const;

oauthRoutes.get("/install", async (c) => {
  const { settings, db, logger } = c.var;
  const oauth = oauthConfig(settings);
  const query = new URL(c.req.url).searchParams;

  // An install link an operator opens carries no signature; one from Shopify always does.
  if (query.has("hmac")) await requireSignature(query, settings);
  const shop = servedShop(query.get("shop"), settings);

  const state = newState();
  await saveOauthState(db, { state, shop, expiresAt: Date.now() + STATE_TTL_SECONDS * 1000 });
  setCookie(c, STATE_COOKIE, state, {
    httpOnly: true,
    secure: oauth.APP_URL.startsWith("https:"),
    sameSite: "Lax",
    path: "/auth",
    maxAge: STATE_TTL_SECONDS,
  });

  logger.info("oauth install started", { shop });
  return c.redirect(authorizeUrl(oauth, shop, state), 302);
});

oauthRoutes.get("/callback", async (c) => {
  const { settings, db, logger } = c.var;
  const oauth = oauthConfig(settings);
  const query = new URL(c.req.url).searchParams;

  await requireSignature(query, settings);
  const shop = servedShop(query.get("shop"), settings);
  const log = logger.with({ shop });

  const state = query.get("state") ?? "";
  const cookie = getCookie(c, STATE_COOKIE) ?? "";
  deleteCookie(c, STATE_COOKIE, { path: "/auth" });
  if (!state || !cookie || !(await sameState(state, cookie))) {
    log.warn("oauth callback state does not match this browser's");
    throw invalidState("The state does not match the one this browser was given.");
  }
  if (!(await consumeOauthState(db, state, shop))) {
    log.warn("oauth callback state unknown, expired or used");
    throw invalidState("The state is unknown, expired, already used or for another shop.");
  }

  const code = query.get("code");
  if (!code) throw new ProblemError(400, "invalid_request", "The code query parameter is missing");

  const granted = await exchange(oauth, shop, code);
  const missing = missingScopes(settings.OAUTH_SCOPES, granted.scopes);
  if (missing.length) log.warn("shop granted fewer scopes than asked", { missing: missing.join() });

  await completeInstall(db, tokenKeyring(settings), log, shop, granted);
  log.info("oauth install completed", { scopes: granted.scopes.join() });
  return c.json({ status: "installed", shop, scopes: granted.scopes, missingScopes: missing });
});

type OauthConfig = Settings & { SHOPIFY_API_KEY: string; APP_URL: string };

/** The OAuth settings, or 503 `oauth_not_configured` naming what is missing. */
function oauthConfig(settings: Settings): OauthConfig {
  const { SHOPIFY_API_KEY, APP_URL } = settings;
  const missing: string[] = [];
  if (!SHOPIFY_API_KEY) missing.push("SHOPIFY_API_KEY");
  if (!APP_URL) missing.push("APP_URL");
  try {
    activeKeyId(tokenKeyring(settings));
  } catch {
    // The callback could not store the token: refuse before the merchant consents.
    missing.push("TOKEN_ENCRYPTION_KEYS with TOKEN_ENCRYPTION_ACTIVE_KID");
  }
  if (!SHOPIFY_API_KEY || !APP_URL || missing.length) {
    throw new ProblemError(
      503,
      "oauth_not_configured",
      "OAuth installs are not configured on this hub",
      `Set ${missing.join(", ")}.`,
    );
  }
  return { ...settings, SHOPIFY_API_KEY, APP_URL };
}

async function requireSignature(query: URLSearchParams, settings: Settings): Promise<void> {
  const secrets = [settings.SHOPIFY_API_SECRET, settings.SHOPIFY_API_SECRET_PREVIOUS].filter(
    (secret): secret is string => Boolean(secret),
  );
  const verdict = await verifyQueryHmac(query, secrets);
  if (!verdict.valid) {
    throw new ProblemError(
      401,
      "invalid_signature",
      "Request signature is not valid",
      SIGNATURE_PROBLEMS[verdict.reason],
      { signature: verdict.reason },
    );
  }
}

function servedShop(value: string | null, settings: Settings): string {
  const parsed = ShopDomainSchema.safeParse(value);
  if (!parsed.success) {
    throw new ProblemError(
      400,
      "invalid_shop",
      "The shop query parameter is not a *.myshopify.com domain",
    );
  }
  if (!settings.SHOPS.includes(parsed.data)) {
    throw new ProblemError(
      403,
      "unknown_shop",
      "Shop is not served by this hub",
      `${parsed.data} is not in SHOPS.`,
    );
  }
  return parsed.data;
}

function invalidState(detail: string): ProblemError {
  return new ProblemError(403, "invalid_state", "OAuth state is not valid", detail);
}

async function exchange(oauth: OauthConfig, shop: string, code: string): Promise<GrantedToken> {
  try {
    return await exchangeCode(oauth, shop, code);
  } catch (error) {
    if (error instanceof RetryableError) {
      throw new ProblemError(
        503,
        "token_exchange_unavailable",
        "Shopify could not be reached to finish the install; start it again",
        error.message,
        {},
        { "retry-after": String(error.options.retryAfterSeconds ?? 30) },
      );
    }
    if (error instanceof PermanentError) {
      throw new ProblemError(
        502,
        "token_exchange_rejected",
        "Shopify refused the authorization code; start the install again",
        error.message,
      );
    }
    throw error;
  }
}
