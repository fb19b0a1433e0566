import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { resolveBuyer } from "../../customers/buyer";
import { CompanyLocationIdSchema, CustomerIdSchema } from "../../pricing/identifiers";
import { MAX_LINES, ResolveRequestSchema, resolvePrices } from "../../pricing/service";
import { verifyAppProxyRequest } from "../../shopify/app-proxy-signature";
import type { HubEnv } from "../context";
import { resolveContext } from "../prices/context";
import { unknownShop } from "../prices/resolve";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";

/**
 * The query of `GET /apps/prices/resolve` as Shopify forwards it: its own parameters
 * (`shop`, `logged_in_customer_id`, `path_prefix`, `timestamp`, `signature`) and ours:
 * `currency`, `lines` as `SKU:quantity` pairs joined by commas, and optionally
 * `company_location_id` for a buyer of several locations.
 */
const AppProxyQuerySchema = z.object({
  shop: ShopDomainSchema,
  logged_in_customer_id: z.union([z.literal(""), CustomerIdSchema]).optional(),
  currency: z.string(),
  lines: z
    .string()
    .min(1)
    .transform((text, ctx) => {
      const pairs = text.split(",");
      if (pairs.length > MAX_LINES) {
        ctx.addIssue({ code: "custom", message: `at most ${MAX_LINES} lines` });
        return z.NEVER;
      }
      return pairs.map((pair) => {
        const at = pair.lastIndexOf(":");
        return {
          sku: pair.slice(0, at),
          quantity: at < 0 ? Number.NaN : Number(pair.slice(at + 1)),
        };
      });
    }),
  company_location_id: CompanyLocationIdSchema.optional(),
});

/**
 * `GET /apps/prices/resolve`: storefront price lookups through Shopify's App Proxy. The
 * buyer is whoever Shopify says is logged in; a buyer of no company sees list prices.
 */
export const appProxyRoutes = new Hono<HubEnv>();

appProxyRoutes.get("/prices/resolve", async (c) => {
  const settings = c.var.settings;
  const params = new URL(c.req.url).searchParams;
  const secrets = [settings.SHOPIFY_API_SECRET, settings.SHOPIFY_API_SECRET_PREVIOUS].filter(
    (secret): secret is string => secret !== undefined,
  );
  const verdict = await verifyAppProxyRequest(params, secrets, settings.APP_PROXY_MAX_AGE_SECONDS);
  if (!verdict.ok) {
    throw new ProblemError(
      401,
      verdict.reason,
      verdict.reason === "stale_timestamp"
        ? "App Proxy request is too old"
        : "App Proxy signature is not valid",
    );
  }

  const query = parseInput(AppProxyQuerySchema, Object.fromEntries(params), "query");
  if (!settings.SHOPS.includes(query.shop)) throw unknownShop(query.shop);
  const customerId = query.logged_in_customer_id || undefined;
  if (!customerId && query.company_location_id) {
    throw new ProblemError(403, "location_not_allowed", "Log in to buy for a company location");
  }

  const buyer = customerId
    ? await resolveBuyer(
        { env: c.env, settings, db: c.var.db, logger: c.var.logger },
        query.shop,
        customerId,
        query.company_location_id,
      )
    : ({ kind: "buyer", companyId: null, companyLocationId: null } as const);
  if (buyer.kind === "location_not_allowed") {
    throw new ProblemError(
      403,
      "location_not_allowed",
      "This customer does not buy for that company location",
    );
  }
  if (buyer.kind === "company_ambiguous") {
    throw new ProblemError(
      400,
      "company_location_required",
      "This customer buys for several companies; pass company_location_id",
      undefined,
      { companyIds: buyer.companyIds },
    );
  }

  const request = parseInput(
    ResolveRequestSchema,
    {
      shop: query.shop,
      currency: query.currency,
      companyId: buyer.companyId,
      companyLocationId: buyer.companyLocationId,
      lines: query.lines,
    },
    "query",
  );
  const cart = await resolvePrices(resolveContext(c), request);
  c.header("cache-control", "private, no-store");
  return c.json(cart);
});
