import type { Settings } from "../../config/settings";
import { adminBaseUrl } from "../admin/client";

/** The settings an OAuth install reads. */
export type OauthSettings = Pick<
  Settings,
  | "SHOPIFY_ADMIN_URL"
  | "SHOPIFY_API_KEY"
  | "SHOPIFY_API_SECRET"
  | "SHOPIFY_API_SECRET_PREVIOUS"
  | "APP_URL"
  | "OAUTH_SCOPES"
  | "CONNECTOR_TIMEOUT_MS"
>;

/** Where Shopify sends the merchant back: `${APP_URL}/auth/callback`. */
export function redirectUri(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/auth/callback`;
}

/**
 * Shopify's consent page for `shop`, on the host SHOPIFY_ADMIN_URL names (the shop itself
 * in production, the sandbox's stand-in locally). No `grant_options[]`: the token is an
 * offline one, which outlives the merchant's session and is what background work needs.
 */
export function authorizeUrl(
  settings: OauthSettings & { SHOPIFY_API_KEY: string; APP_URL: string },
  shop: string,
  state: string,
): string {
  const url = new URL(`${adminBaseUrl(settings, shop)}/admin/oauth/authorize`);
  url.searchParams.set("client_id", settings.SHOPIFY_API_KEY);
  url.searchParams.set("scope", settings.OAUTH_SCOPES.join(","));
  url.searchParams.set("redirect_uri", redirectUri(settings.APP_URL));
  url.searchParams.set("state", state);
  return url.toString();
}
