import { z } from "zod";
import { PermanentError, RetryableError } from "../../queues/errors";
import { adminBaseUrl } from "../admin/client";
import type { OauthSettings } from "./authorize-url";
import { parseGrantedScopes } from "./scopes";

/** Shopify's answer to the code exchange, for an offline (non-expiring) token. */
const AccessTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  scope: z.string(),
});

export interface GrantedToken {
  accessToken: string;
  scopes: string[];
}

/**
 * Trades the callback's one-time `code` for the shop's offline Admin API token at
 * `POST {admin base}/admin/oauth/access_token`.
 * @throws {PermanentError} `token_exchange_rejected` when Shopify refuses the code (used,
 *   expired, or the client credentials are wrong) or answers something unreadable.
 * @throws {RetryableError} `token_exchange_unavailable` on network errors, timeouts
 *   (CONNECTOR_TIMEOUT_MS), 429 and 5xx.
 */
export async function exchangeCode(
  settings: OauthSettings & { SHOPIFY_API_KEY: string },
  shop: string,
  code: string,
): Promise<GrantedToken> {
  // TODO(someday): ask for expiring offline tokens (`expiring=1`) and refresh them.
  let response: Response;
  try {
    response = await fetch(`${adminBaseUrl(settings, shop)}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        client_id: settings.SHOPIFY_API_KEY,
        client_secret: settings.SHOPIFY_API_SECRET,
        code,
      }),
      signal: AbortSignal.timeout(settings.CONNECTOR_TIMEOUT_MS),
    });
  } catch (error) {
    throw new RetryableError("token_exchange_unavailable", `Token exchange with ${shop} failed`, {
      cause: error,
    });
  }

  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new RetryableError(
      "token_exchange_unavailable",
      `Shopify answered the token exchange with ${response.status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PermanentError(
      "token_exchange_rejected",
      `Shopify refused the authorization code with ${response.status}`,
    );
  }

  const parsed = AccessTokenResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new PermanentError(
      "token_exchange_rejected",
      "Shopify's token exchange answer holds no access_token",
      { cause: parsed.error },
    );
  }
  return { accessToken: parsed.data.access_token, scopes: parseGrantedScopes(parsed.data.scope) };
}
