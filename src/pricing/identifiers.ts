import { z } from "zod";

/**
 * SKUs the hub prices: 1–100 characters of letters, digits and `. _ / + # -`, starting with
 * a letter or digit. Commas, colons and spaces are excluded so a cart fits in one query
 * parameter (`lines=SKU-1:2,SKU-2:5`) on the App Proxy route.
 */
export const SkuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/+#-]{0,99}$/, "must be 1-100 of A-Z a-z 0-9 . _ / + # -");

/** Ids of price lists and promotions as the ERP names them. */
export const BookIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, "must be 1-100 of A-Z a-z 0-9 . _ : -");

/**
 * A Shopify company, company location or customer id: numeric, or the GID Shopify's
 * GraphQL APIs and Functions use (`gid://shopify/Company/123`). Normalised to the number.
 */
export function shopifyIdSchema(resource: string) {
  return z.union([z.string(), z.number().int().positive()]).transform((value, ctx) => {
    const text = String(value);
    const match = new RegExp(`^(?:gid://shopify/${resource}/)?(\\d{1,20})$`).exec(text);
    if (!match?.[1]) {
      ctx.addIssue({
        code: "custom",
        message: `must be a numeric ${resource} id or gid://shopify/${resource}/<id>`,
      });
      return z.NEVER;
    }
    return match[1];
  });
}

export const CompanyIdSchema = shopifyIdSchema("Company");
export const CompanyLocationIdSchema = shopifyIdSchema("CompanyLocation");
export const CustomerIdSchema = shopifyIdSchema("Customer");

/** ISO 4217 codes the runtime knows (Intl's list), so a typo is a 400, not an empty cart. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const KnownCurrencySchema = z
  .string()
  .refine((code) => KNOWN_CURRENCIES.has(code), "must be a known ISO 4217 currency code");
