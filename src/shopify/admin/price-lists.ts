import { z } from "zod";
import { PageInfoSchema, type UserError, UserErrorSchema } from "./graphql-response";
import { PRODUCT_VARIANTS_BY_SKU, QUANTITY_PRICING_UPDATE } from "./price-list-documents";
import { type AdminContext, runAdminOperation } from "./run-operation";

/** Shopify's cap on each input array of a mutation. */
export const MAX_PRICING_INPUTS = 250;
/** SKUs per variant lookup: keeps the search string short and one page (100) enough. */
export const SKUS_PER_VARIANT_LOOKUP = 50;
const VARIANTS_PAGE_SIZE = 100;

// Shopify's documented costs: a mutation 10; a connection 2 plus one per node.
const UPDATE_COST = 10;
const VARIANTS_COST = 2 + VARIANTS_PAGE_SIZE;

const MoneyInputSchema = z.object({ amount: z.string(), currencyCode: z.string() });

/** `QuantityPricingByVariantUpdateInput`, as the hub fills it. */
export interface QuantityPricingInput {
  pricesToAdd: { variantId: string; price: z.infer<typeof MoneyInputSchema> }[];
  pricesToDeleteByVariantId: string[];
  quantityPriceBreaksToAdd: {
    variantId: string;
    minimumQuantity: number;
    price: z.infer<typeof MoneyInputSchema>;
  }[];
  quantityPriceBreaksToDelete: string[];
  quantityPriceBreaksToDeleteByVariantId: string[];
  quantityRulesToAdd: {
    variantId: string;
    minimum: number;
    maximum: number | null;
    increment: number;
  }[];
  quantityRulesToDeleteByVariantId: string[];
}

const UpdateDataSchema = z.object({
  quantityPricingByVariantUpdate: z.object({ userErrors: z.array(UserErrorSchema) }).nullable(),
});

/**
 * Sends one `quantityPricingByVariantUpdate`. Shopify applies all of it or nothing: the
 * answer is the list of `userErrors` (empty when applied), each naming the input path.
 * @throws {RangeError} when an input array exceeds {@link MAX_PRICING_INPUTS}.
 * @throws {RetryableError} when throttled (by the shop's budget or Shopify) or unreachable.
 * @throws {PermanentError} for auth failures and GraphQL errors.
 */
export async function updateQuantityPricing(
  ctx: AdminContext,
  shop: string,
  shopifyPriceListId: string,
  input: QuantityPricingInput,
): Promise<UserError[]> {
  for (const [name, items] of Object.entries(input)) {
    if (items.length > MAX_PRICING_INPUTS) {
      throw new RangeError(`${name}: at most ${MAX_PRICING_INPUTS} items per mutation`);
    }
  }
  const data = await runAdminOperation(ctx, shop, {
    name: "QuantityPricingByVariantUpdate",
    document: QUANTITY_PRICING_UPDATE,
    variables: { priceListId: shopifyPriceListId, input },
    estimatedCost: UPDATE_COST,
    dataSchema: UpdateDataSchema,
  });
  return data.quantityPricingByVariantUpdate?.userErrors ?? [];
}

const VariantsDataSchema = z.object({
  productVariants: z.object({
    nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable() })),
    pageInfo: PageInfoSchema,
  }),
});

/**
 * The variants of up to {@link SKUS_PER_VARIANT_LOOKUP} SKUs, by SKU. Unknown SKUs are
 * absent; a SKU several variants share lists them all.
 */
export async function lookupVariants(
  ctx: AdminContext,
  shop: string,
  skus: readonly string[],
): Promise<Map<string, string[]>> {
  const wanted = new Set(skus);
  const found = new Map<string, string[]>();
  const query = skus
    .map((sku) => `sku:'${sku.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`)
    .join(" OR ");
  let after: string | null = null;

  do {
    const data: z.infer<typeof VariantsDataSchema> = await runAdminOperation(ctx, shop, {
      name: "ProductVariantsBySku",
      document: PRODUCT_VARIANTS_BY_SKU,
      variables: { first: VARIANTS_PAGE_SIZE, after, query },
      estimatedCost: VARIANTS_COST,
      dataSchema: VariantsDataSchema,
    });
    for (const variant of data.productVariants.nodes) {
      // Search matches loosely (prefixes, case); only the exact SKU maps.
      if (variant.sku === null || !wanted.has(variant.sku)) continue;
      found.set(variant.sku, [...(found.get(variant.sku) ?? []), variant.id]);
    }
    const page = data.productVariants.pageInfo;
    after = page.hasNextPage ? page.endCursor : null;
  } while (after !== null);

  return found;
}
