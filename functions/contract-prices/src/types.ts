/**
 * The shapes of this Function's input queries (./fetch.graphql, ./run.graphql) and of the
 * results its targets return, written by hand after the Discount Function API 2026-10
 * schema. test/node/functions checks both against that schema, so they cannot drift.
 */

export type DiscountClass = "PRODUCT" | "ORDER" | "SHIPPING";

/** `discount.metafield(...)`: app-owned JSON, or null when the merchant never set it. */
export interface ConfigurationMetafield {
  jsonValue: unknown;
}

export interface FetchInput {
  discount: {
    discountClasses: DiscountClass[];
    configuration: ConfigurationMetafield | null;
  };
  cart: {
    cost: { subtotalAmount: { currencyCode: string } };
    buyerIdentity: {
      purchasingCompany: {
        company: { id: string };
        location: { id: string };
      } | null;
    } | null;
    lines: {
      id: string;
      quantity: number;
      merchandise:
        | { __typename: "ProductVariant"; sku: string | null }
        | { __typename: "CustomProduct" };
    }[];
  };
}

export interface RunInput {
  fetchResult: { status: number; jsonBody: unknown } | null;
  discount: {
    discountClasses: DiscountClass[];
    configuration: ConfigurationMetafield | null;
  };
  cart: {
    lines: {
      id: string;
      quantity: number;
      cost: { amountPerQuantity: { amount: string; currencyCode: string } };
    }[];
  };
}

/** `HttpRequest`: what Shopify sends on the Function's behalf. */
export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: { name: string; value: string }[];
  jsonBody: unknown;
  policy: { readTimeoutMs: number };
}

/** `CartLinesDiscountsGenerateFetchResult`: no request means nothing to ask the hub. */
export interface FetchResult {
  request: HttpRequest | null;
}

export interface ProductDiscountCandidate {
  targets: { cartLine: { id: string } }[];
  value: { fixedAmount: { amount: string; appliesToEachItem: boolean } };
  message: string;
}

export interface CartOperation {
  productDiscountsAdd: {
    selectionStrategy: "FIRST" | "MAXIMUM" | "ALL";
    candidates: ProductDiscountCandidate[];
  };
}

/** `CartLinesDiscountsGenerateRunResult`. */
export interface RunResult {
  operations: CartOperation[];
}
