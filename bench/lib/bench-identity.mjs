// The shop and app secret every target in a run shares, so each receives the same signed
// bytes. Bench-only values: the hub gets them as its secrets, never from .dev.vars.

/** Added to the hub's SHOPS for the run; must be a lowercase *.myshopify.com domain. */
export const BENCH_SHOP = "bench-shop.myshopify.com";

/** The app's client secret the bench signs with (X-Shopify-Hmac-Sha256). */
export const BENCH_API_SECRET = "bench-shopify-api-secret";

/** One admin token, because the hub refuses to start without ADMIN_TOKENS. */
export const BENCH_ADMIN_TOKENS = JSON.stringify([
  { name: "bench-operator", token: "bench-operator-token-0123", scopes: ["read", "operate"] },
]);

/**
 * Standard Webhooks secrets (`whsec_<base64>`) the hub signs its ERP and OMS calls with
 * and the bench's sandbox verifies them with.
 */
export const BENCH_ERP_SIGNING_SECRET = `whsec_${btoa("bench-erp-signing-secret-0123")}`;
export const BENCH_OMS_SIGNING_SECRET = `whsec_${btoa("bench-oms-signing-secret-0123")}`;

/** The bench shop's Admin API token; the Shopify stand-in accepts any non-empty one. */
export const BENCH_SHOPIFY_ADMIN_TOKENS = JSON.stringify({
  [BENCH_SHOP]: "shpat_bench_shop_token",
});
