import { z } from "zod";
import type { OperationHandler, Prepared } from "./operations";
import type { PriceListStandIn, ShopCatalogue, StoredPriceList } from "./price-lists";
import { paginate } from "./search";

// Shopify's cap on a mutation's input arrays; a larger one is refused before anything runs.
const MAX_INPUT = 250;

const Money = z.object({ amount: z.string().regex(/^\d+(\.\d+)?$/), currencyCode: z.string() });
const Ids = z.array(z.string()).max(MAX_INPUT);

const UpdateVariables = z.object({
  priceListId: z.string(),
  input: z.object({
    pricesToAdd: z
      .array(z.object({ variantId: z.string(), price: Money, compareAtPrice: Money.nullish() }))
      .max(MAX_INPUT),
    pricesToDeleteByVariantId: Ids,
    quantityPriceBreaksToAdd: z
      .array(z.object({ variantId: z.string(), minimumQuantity: z.number().int(), price: Money }))
      .max(MAX_INPUT),
    quantityPriceBreaksToDelete: Ids,
    quantityPriceBreaksToDeleteByVariantId: Ids.nullish(),
    quantityRulesToAdd: z
      .array(
        z.object({
          variantId: z.string(),
          minimum: z.number().int(),
          maximum: z.number().int().nullish(),
          increment: z.number().int(),
        }),
      )
      .max(MAX_INPUT),
    quantityRulesToDeleteByVariantId: Ids,
  }),
});
type UpdateInput = z.infer<typeof UpdateVariables>["input"];

const PageVariables = z.object({
  first: z.number().int().min(1).max(250),
  after: z.string().nullish(),
  query: z.string().default(""),
});

interface UserError {
  field: string[];
  message: string;
  code: string;
}

const userError = (field: (string | number)[], message: string, code: string): UserError => ({
  field: field.map(String),
  message,
  code,
});

function operation<V>(
  catalogue: PriceListStandIn,
  variables: z.ZodType<V>,
  requestedCost: (variables: V) => number,
  execute: (
    shop: ShopCatalogue,
    variables: V,
  ) => { data: Record<string, unknown>; actualCost: number },
): OperationHandler {
  return {
    prepare(_state, shop, raw): Prepared {
      const parsed = variables.safeParse(raw ?? {});
      if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
      return {
        ok: true,
        requestedCost: requestedCost(parsed.data),
        execute: () => execute(catalogue.shop(shop), parsed.data),
      };
    },
  };
}

/** The B2B price-list operations the stand-in answers, over `catalogue`. */
export function priceListOperations(catalogue: PriceListStandIn): Record<string, OperationHandler> {
  return {
    QuantityPricingByVariantUpdate: operation(
      catalogue,
      UpdateVariables,
      () => 10,
      (shop, variables) => {
        const list = shop.priceLists.get(variables.priceListId);
        const userErrors = list
          ? checkUpdate(shop, list, variables.input)
          : [userError(["priceListId"], "Price list does not exist.", "PRICE_LIST_NOT_FOUND")];
        // All or nothing, like Shopify.
        if (list && userErrors.length === 0) applyUpdate(list, variables.input);
        const productVariants =
          userErrors.length === 0
            ? variables.input.pricesToAdd.map(({ variantId }) => ({ id: variantId }))
            : null;
        return {
          data: { quantityPricingByVariantUpdate: { productVariants, userErrors } },
          actualCost: 10,
        };
      },
    ),
    ProductVariantsBySku: operation(
      catalogue,
      PageVariables,
      (variables) => 2 + variables.first,
      (shop, variables) => {
        const wanted = skusIn(variables.query);
        const variants = [...shop.variants]
          .filter(([, sku]) => sku !== null && wanted.has(sku))
          .map(([id, sku]) => ({ id, sku }));
        const page = paginate(variants, variables.first, variables.after);
        return {
          data: { productVariants: { nodes: page.nodes, pageInfo: page.pageInfo } },
          actualCost: 2 + page.nodes.length,
        };
      },
    ),
  };
}

function checkUpdate(shop: ShopCatalogue, list: StoredPriceList, input: UpdateInput): UserError[] {
  const errors: UserError[] = [];
  const known = (id: string) => shop.variants.has(id);
  input.pricesToAdd.forEach((price, index) => {
    if (!known(price.variantId)) {
      errors.push(
        userError(
          ["input", "pricesToAdd", index, "variantId"],
          "Variant not found.",
          "PRICE_ADD_VARIANT_NOT_FOUND",
        ),
      );
    } else if (price.price.currencyCode !== list.currency) {
      errors.push(
        userError(
          ["input", "pricesToAdd", index, "price", "currencyCode"],
          "Currency must match the price list.",
          "PRICE_ADD_CURRENCY_MISMATCH",
        ),
      );
    }
  });
  const priced = new Set([
    ...list.prices.keys(),
    ...input.pricesToAdd.map((price) => price.variantId),
  ]);
  for (const id of input.pricesToDeleteByVariantId) priced.delete(id);
  input.quantityPriceBreaksToAdd.forEach((add, index) => {
    if (!priced.has(add.variantId)) {
      errors.push(
        userError(
          ["input", "quantityPriceBreaksToAdd", index, "variantId"],
          "Quantity price break needs a fixed price.",
          "QUANTITY_PRICE_BREAK_ADD_PRICE_LIST_PRICE_NOT_FOUND",
        ),
      );
    }
  });
  input.quantityRulesToDeleteByVariantId.forEach((id, index) => {
    if (!list.rules.has(id)) {
      errors.push(
        userError(
          ["input", "quantityRulesToDeleteByVariantId", index],
          "Quantity rule not found.",
          "QUANTITY_RULE_DELETE_RULE_NOT_FOUND",
        ),
      );
    }
  });
  input.quantityRulesToAdd.forEach((rule, index) => {
    if (rule.minimum % rule.increment !== 0) {
      errors.push(
        userError(
          ["input", "quantityRulesToAdd", index, "minimum"],
          "Minimum must be a multiple of increment.",
          "QUANTITY_RULE_ADD_MINIMUM_NOT_A_MULTIPLE_OF_INCREMENT",
        ),
      );
    }
  });
  return errors;
}

// Deletes run before adds, as Shopify documents.
function applyUpdate(list: StoredPriceList, input: UpdateInput): void {
  for (const id of input.pricesToDeleteByVariantId) {
    list.prices.delete(id);
    list.breaks.delete(id);
  }
  for (const id of input.quantityPriceBreaksToDeleteByVariantId ?? []) list.breaks.delete(id);
  for (const id of input.quantityRulesToDeleteByVariantId) list.rules.delete(id);
  for (const add of input.pricesToAdd) list.prices.set(add.variantId, add.price);
  for (const add of input.quantityPriceBreaksToAdd) {
    const breaks = (list.breaks.get(add.variantId) ?? []).filter(
      (b) => b.minimumQuantity !== add.minimumQuantity,
    );
    breaks.push({ minimumQuantity: add.minimumQuantity, price: add.price });
    list.breaks.set(
      add.variantId,
      breaks.sort((a, b) => a.minimumQuantity - b.minimumQuantity),
    );
  }
  for (const rule of input.quantityRulesToAdd) {
    list.rules.set(rule.variantId, {
      minimum: rule.minimum,
      maximum: rule.maximum ?? null,
      increment: rule.increment,
    });
  }
}

function skusIn(query: string): Set<string> {
  const skus = new Set<string>();
  for (const match of query.matchAll(/sku:'((?:\\.|[^'\\])*)'/g)) {
    skus.add((match[1] ?? "").replace(/\\(.)/g, "$1"));
  }
  return skus;
}
