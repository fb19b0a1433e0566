import { readConfiguration } from "./configuration";
import type { FetchInput, FetchResult } from "./types";

/** The hub answers at most this many lines per request (its MAX_LINES). */
export const MAX_LINES = 250;
// The hub's SKU rule (src/pricing/identifiers.ts): a line it would refuse would fail the
// whole request, so such lines are left out instead.
const SKU = /^[A-Za-z0-9][A-Za-z0-9._/+#-]{0,99}$/;

/**
 * `cart.lines.discounts.generate.fetch`: asks the hub for the prices of the cart's
 * variant lines for the buyer's company and location. No request (and so no discount) for
 * a buyer without a company, a discount without the product class, a missing
 * configuration or a cart without priceable lines.
 *
 * The body holds only what the price depends on, so Shopify's answer cache (keyed by the
 * request, up to 300 s) is shared by every checkout of the same cart for that location.
 * Beyond {@link MAX_LINES} priceable lines, the rest get no contract discount.
 */
export function cartLinesDiscountsGenerateFetch(input: FetchInput): FetchResult {
  const configuration = readConfiguration(input.discount.configuration);
  const company = input.cart.buyerIdentity?.purchasingCompany;
  if (!configuration || !company || !input.discount.discountClasses.includes("PRODUCT")) {
    return { request: null };
  }

  const lines = input.cart.lines
    .flatMap((line) => {
      const sku = line.merchandise.__typename === "ProductVariant" ? line.merchandise.sku : null;
      return sku && SKU.test(sku) ? [{ id: line.id, sku, quantity: line.quantity }] : [];
    })
    .slice(0, MAX_LINES);
  if (lines.length === 0) return { request: null };

  return {
    request: {
      method: "POST",
      url: `${configuration.hubUrl}/v1/functions/discount-prices`,
      headers: [
        { name: "Authorization", value: `Bearer ${configuration.secret}` },
        { name: "Accept", value: "application/json" },
      ],
      jsonBody: {
        shop: configuration.shop,
        currency: input.cart.cost.subtotalAmount.currencyCode,
        companyId: company.company.id,
        companyLocationId: company.location.id,
        lines,
      },
      policy: { readTimeoutMs: configuration.readTimeoutMs },
    },
  };
}
