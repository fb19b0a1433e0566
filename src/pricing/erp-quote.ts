import { z } from "zod";
import type { Settings } from "../config/settings";
import { withBreaker } from "../connectors/breaker";
import { connectorConfig } from "../connectors/config";
import { queryConnector } from "../connectors/request";
import { describeError, type Logger } from "../observability/logger";
import { parseTraceparent } from "../observability/trace";
import { SkuSchema } from "./identifiers";
import { IsolateCache } from "./isolate-cache";
import type { ContractQuote } from "./resolve";
import { BookFormatError, toEntry, WireQuantityRuleSchema, WireTierSchema } from "./wire";

/** The answer of `POST {ERP_URL}/v1/prices/quote` (docs/connectors.md "Price books"). */
export const QuoteResponseSchema = z.object({
  quotes: z.array(
    z.object({
      sku: SkuSchema,
      /** `null`: the buyer has no contract price for this SKU. */
      tiers: z.array(WireTierSchema).min(1).nullable(),
      quantityRule: WireQuantityRuleSchema.nullish(),
    }),
  ),
});

const cache = new IsolateCache<{ until: number; quote: ContractQuote }>(5000);

/** Forgets cached quotes (tests start from a cold isolate with it). */
export function clearQuoteCache(): void {
  cache.clear();
}

export interface QuoteContext {
  env: Cloudflare.Env;
  settings: Settings;
  logger: Logger;
  traceparent: string;
}

export interface QuoteRequest {
  shop: string;
  currency: string;
  priceListId: string;
  companyId: string | null;
  companyLocationId: string | null;
  skus: readonly string[];
}

/**
 * Real-time contract prices for SKUs the published contract list lacks, when
 * PRICING_ERP_QUOTES is enabled: one call for all of them, bounded by
 * PRICING_ERP_QUOTE_TIMEOUT_MS, behind the ERP circuit breaker. Prices and "no contract
 * price" answers are cached per isolate for PRICING_QUOTE_CACHE_SECONDS. Never throws: a
 * failure (timeout, error, open breaker) makes every asked SKU `unavailable`, so the cart
 * gets list prices flagged `fallback` instead of an error.
 */
export async function quoteContractPrices(
  ctx: QuoteContext,
  request: QuoteRequest,
  now = Date.now(),
): Promise<Map<string, ContractQuote>> {
  const quotes = new Map<string, ContractQuote>();
  if (ctx.settings.PRICING_ERP_QUOTES !== "enabled" || request.skus.length === 0) return quotes;
  const erp = connectorConfigOrUndefined(ctx);
  if (!erp) return quotes;

  const cacheKey = (sku: string) =>
    `${request.shop}|${request.currency}|${request.priceListId}|${sku}`;
  const asked: string[] = [];
  for (const sku of request.skus) {
    const hit = cache.get(cacheKey(sku));
    if (hit && hit.until > now) quotes.set(sku, hit.quote);
    else asked.push(sku);
  }
  if (asked.length === 0) return quotes;

  try {
    const caller = { ...ctx, trace: parseTraceparent(ctx.traceparent) };
    const answer = await withBreaker(caller, "erp", () =>
      queryConnector(
        erp,
        {
          method: "POST",
          path: "/v1/prices/quote",
          requestId: `quote:${crypto.randomUUID()}`,
          traceparent: ctx.traceparent,
          body: { ...request, skus: asked },
          timeoutMs: ctx.settings.PRICING_ERP_QUOTE_TIMEOUT_MS,
        },
        QuoteResponseSchema,
      ),
    );
    const until = now + ctx.settings.PRICING_QUOTE_CACHE_SECONDS * 1000;
    const answered = new Map(answer.quotes.map((quote) => [quote.sku, quote]));
    for (const sku of asked) {
      const quote = toQuote(answered.get(sku), request);
      quotes.set(sku, quote);
      if (quote.kind !== "unavailable") cache.set(cacheKey(sku), { until, quote });
    }
  } catch (error) {
    ctx.logger.warn("ERP contract quote failed; falling back to list prices", {
      shop: request.shop,
      skus: asked.length,
      ...describeError(error),
    });
    for (const sku of asked) quotes.set(sku, { kind: "unavailable" });
  }
  return quotes;
}

function toQuote(
  answer: z.infer<typeof QuoteResponseSchema>["quotes"][number] | undefined,
  request: QuoteRequest,
): ContractQuote {
  if (!answer?.tiers) return { kind: "none" };
  try {
    const entry = toEntry(
      {
        priceListId: request.priceListId,
        sku: answer.sku,
        tiers: answer.tiers,
        quantityRule: answer.quantityRule ?? null,
      },
      request.currency,
      "quote",
    );
    if (!entry.tiers.some((tier) => tier.minQuantity === 1)) return { kind: "unavailable" };
    return {
      kind: "price",
      entry: {
        priceListId: request.priceListId,
        tiers: entry.tiers.map((tier) => [tier.minQuantity, tier.unitPrice]),
        rule: entry.quantityRule,
      },
    };
  } catch (error) {
    if (error instanceof BookFormatError) return { kind: "unavailable" };
    throw error;
  }
}

function connectorConfigOrUndefined(ctx: QuoteContext) {
  try {
    return connectorConfig(ctx.settings, "erp");
  } catch (error) {
    ctx.logger.warn("ERP quotes skipped: connector misconfigured", describeError(error));
    return undefined;
  }
}
