import { z } from "zod";
import type { Settings } from "../config/settings";
import { ShopDomainSchema } from "../config/settings";
import { recordPriceResolution } from "../metrics/hooks";
import type { Logger } from "../observability/logger";
import { quoteContractPrices } from "./erp-quote";
import {
  CompanyIdSchema,
  CompanyLocationIdSchema,
  KnownCurrencySchema,
  SkuSchema,
} from "./identifiers";
import { loadBookView } from "./load";
import { type ResolvedCart, resolveCart, skusNeedingQuote } from "./resolve";

/**
 * Lines per resolve. 250 is Shopify's input array limit and keeps the KV reads of a cold
 * resolve at 1 pointer read + 3 bulk reads (253 keys at most, 100 per read) = 4.
 */
export const MAX_LINES = 250;
/** Largest quantity per line; keeps line totals exact in minor units. */
export const MAX_QUANTITY = 1_000_000;

export const ResolveLineSchema = z.object({
  sku: SkuSchema,
  quantity: z
    .number({ error: "must be a positive integer" })
    .int("must be a positive integer")
    .positive("must be a positive integer")
    .max(MAX_QUANTITY),
});

/** What every pricing endpoint resolves: a cart for a buyer in a currency at a moment. */
export const ResolveRequestSchema = z.object({
  shop: ShopDomainSchema,
  currency: KnownCurrencySchema,
  companyId: CompanyIdSchema.nullish(),
  companyLocationId: CompanyLocationIdSchema.nullish(),
  /** Defaults to now; a caller that needs identical answers for identical input sends it. */
  at: z.iso.datetime({ offset: true }).optional(),
  lines: z.array(ResolveLineSchema).min(1).max(MAX_LINES, `at most ${MAX_LINES} lines`),
});
export type ResolveRequest = z.infer<typeof ResolveRequestSchema>;

export interface ResolveContext {
  env: Cloudflare.Env;
  settings: Settings;
  logger: Logger;
  traceparent: string;
}

export interface PricedCart extends ResolvedCart {
  shop: string;
  at: string;
  buyer: { companyId: string | null; companyLocationId: string | null };
}

/**
 * The one resolver behind `POST /v1/prices/resolve`, the App Proxy and the Functions
 * endpoint: reads the published book (one version), asks the ERP for contract prices
 * the book lacks when enabled, and applies the resolution rules. Never fails for a
 * missing price; throws only when KV itself cannot be read.
 */
export async function resolvePrices(
  ctx: ResolveContext,
  request: ResolveRequest,
): Promise<PricedCart> {
  const started = Date.now();
  const at = request.at ? Date.parse(request.at) : Date.now();
  const buyer = {
    companyId: request.companyId ?? null,
    companyLocationId: request.companyLocationId ?? null,
  };
  const skus = request.lines.map((line) => line.sku);
  const view = await loadBookView(ctx.env.PRICES, request.shop, request.currency, buyer, skus);

  const missing = skusNeedingQuote(view, request.lines);
  const quotes =
    view.contractListId && missing.length > 0
      ? await quoteContractPrices(ctx, {
          shop: request.shop,
          currency: request.currency,
          priceListId: view.contractListId,
          ...buyer,
          skus: missing,
        })
      : new Map();

  const cart = resolveCart(view, { at, companyId: buyer.companyId, lines: request.lines }, quotes);
  recordPriceResolution(ctx.env, { shop: request.shop, durationMs: Date.now() - started });
  return { shop: request.shop, at: new Date(at).toISOString(), buyer, ...cart };
}
