import { Hono } from "hono";
import { z } from "zod";
import { ResolveLineSchema, ResolveRequestSchema, resolvePrices } from "../../pricing/service";
import type { HubEnv } from "../context";
import { resolveContext } from "../prices/context";
import { unknownShop } from "../prices/resolve";
import { ProblemError } from "../problem";
import { sameSecret } from "../security/constant-time";
import { parseInput, readJson } from "../validation";

/**
 * What a discount Function's fetch target sends (`HttpRequest.jsonBody`): the cart lines
 * with their cart line ids, so the run target can map prices back to lines.
 */
export const FunctionPriceRequestSchema = ResolveRequestSchema.extend({
  lines: z
    .array(ResolveLineSchema.extend({ id: z.string().min(1).max(200) }))
    .min(1)
    .max(250, "at most 250 lines"),
});

/**
 * `POST /v1/functions/discount-prices`: the network-access endpoint of the discount
 * Function (docs/pricing.md "Shopify Functions"). Authenticated by
 * `Authorization: Bearer <PRICING_FUNCTION_SECRET>` (or the previous secret during a
 * rotation). The answer depends only on the body and the published version, with no
 * timestamps or ids of its own, because Shopify caches answers by request for up to 300 s.
 */
export const functionRoutes = new Hono<HubEnv>();

functionRoutes.post("/functions/discount-prices", async (c) => {
  const presented = /^Bearer (\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const secrets = [
    c.var.settings.PRICING_FUNCTION_SECRET,
    c.var.settings.PRICING_FUNCTION_SECRET_PREVIOUS,
  ].filter((secret): secret is string => secret !== undefined);
  let valid = false;
  for (const secret of secrets) {
    if (presented && (await sameSecret(presented, secret))) valid = true;
  }
  if (!valid) {
    throw new ProblemError(
      401,
      "invalid_function_secret",
      "Function secret missing or not recognised",
      "Send Authorization: Bearer <PRICING_FUNCTION_SECRET>.",
    );
  }

  const request = parseInput(FunctionPriceRequestSchema, await readJson(c.req.raw), "body");
  if (!c.var.settings.SHOPS.includes(request.shop)) throw unknownShop(request.shop);
  const cart = await resolvePrices(resolveContext(c), request);

  return c.json({
    currency: cart.currency,
    version: cart.version,
    lines: cart.lines.map((line, index) => ({ id: request.lines[index]?.id ?? null, ...line })),
    total: cart.total,
  });
});
