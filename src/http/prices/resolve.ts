import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { PricingApiKey } from "../../config/settings";
import { ResolveRequestSchema, resolvePrices } from "../../pricing/service";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";
import { sameSecret } from "../security/constant-time";
import { parseInput, readJson } from "../validation";
import { resolveContext } from "./context";

interface PricingEnv extends HubEnv {
  Variables: HubEnv["Variables"] & { pricingKey: PricingApiKey };
}

/**
 * Requires `Authorization: Bearer <key>` naming one of PRICING_API_KEYS. Every key is
 * compared, in constant time, so timing does not tell which one matched.
 */
const requirePricingKey = createMiddleware<PricingEnv>(async (c, next) => {
  const presented = /^Bearer (\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!presented) {
    throw new ProblemError(
      401,
      "missing_api_key",
      "Pricing API key required",
      "Send Authorization: Bearer <key>.",
      {},
      {
        "www-authenticate": 'Bearer realm="shopify-edge-hub-prices"',
      },
    );
  }
  let match: PricingApiKey | undefined;
  for (const candidate of c.var.settings.PRICING_API_KEYS) {
    if (await sameSecret(presented, candidate.key)) match = candidate;
  }
  if (!match) {
    throw new ProblemError(
      401,
      "invalid_api_key",
      "Pricing API key not recognised",
      undefined,
      {},
      {
        "www-authenticate": 'Bearer realm="shopify-edge-hub-prices", error="invalid_token"',
      },
    );
  }
  c.set("pricingKey", match);
  await next();
});

/** `POST /v1/prices/resolve`: server-side callers (headless storefront, quoting). */
export const priceRoutes = new Hono<PricingEnv>();

priceRoutes.post("/prices/resolve", requirePricingKey, async (c) => {
  const request = parseInput(ResolveRequestSchema, await readJson(c.req.raw), "body");
  if (!c.var.pricingKey.shops.includes(request.shop)) {
    throw new ProblemError(
      403,
      "shop_not_allowed",
      "This API key may not read this shop's prices",
      `The key "${c.var.pricingKey.name}" is scoped to ${c.var.pricingKey.shops.join(", ")}.`,
    );
  }
  if (!c.var.settings.SHOPS.includes(request.shop)) throw unknownShop(request.shop);

  const cart = await resolvePrices(resolveContext(c), request);
  return c.json(cart);
});

export function unknownShop(shop: string): ProblemError {
  return new ProblemError(404, "unknown_shop", "This hub does not serve that shop", shop);
}
