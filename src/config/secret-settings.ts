/**
 * Settings deployed as Wrangler secrets rather than [vars], as README's settings table marks
 * them (a node test keeps the two in step). The configuration audit
 * (src/audit/config-changes.ts) never writes their values anywhere.
 */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  "SHOPIFY_API_SECRET",
  "SHOPIFY_API_SECRET_PREVIOUS",
  "ADMIN_TOKENS",
  "SHOPIFY_ADMIN_TOKENS",
  "ERP_SIGNING_SECRET",
  "OMS_SIGNING_SECRET",
  "CDP_SIGNING_SECRET",
  "TOKEN_ENCRYPTION_KEYS",
  "ANALYTICS_API_TOKEN",
  "ALERT_CHANNELS",
  "PRICING_API_KEYS",
  "PRICING_FUNCTION_SECRET",
  "PRICING_FUNCTION_SECRET_PREVIOUS",
  "CONSOLE_SESSION_SECRET",
]);
