import type { FetchInput, RunInput } from "../../../functions/contract-prices/src/types";

/** The discount's app-owned configuration metafield as the app sets it. */
export const CONFIGURATION = {
  jsonValue: {
    hubUrl: "https://hub.example.com/",
    shop: "test-shop.myshopify.com",
    secret: "function-secret-0123456789abcdef",
    readTimeoutMs: 1500,
    message: "Your contract price",
  },
};

/** A B2B cart of three variant lines (one without a SKU) and a custom product. */
export function fetchInput(overrides: Partial<FetchInput["cart"]> = {}): FetchInput {
  return {
    discount: { discountClasses: ["PRODUCT"], configuration: CONFIGURATION },
    cart: {
      cost: { subtotalAmount: { currencyCode: "USD" } },
      buyerIdentity: {
        purchasingCompany: {
          company: { id: "gid://shopify/Company/100" },
          location: { id: "gid://shopify/CompanyLocation/1001" },
        },
      },
      lines: [
        {
          id: "gid://shopify/CartLine/1",
          quantity: 3,
          merchandise: { __typename: "ProductVariant", sku: "SKU-A" },
        },
        {
          id: "gid://shopify/CartLine/2",
          quantity: 1,
          merchandise: { __typename: "ProductVariant", sku: "SKU-B" },
        },
        {
          id: "gid://shopify/CartLine/3",
          quantity: 1,
          merchandise: { __typename: "ProductVariant", sku: null },
        },
        {
          id: "gid://shopify/CartLine/4",
          quantity: 1,
          merchandise: { __typename: "CustomProduct" },
        },
      ],
      ...overrides,
    },
  };
}

/** The run input for the same cart, with the hub's answer as `fetchResult`. */
export function runInput(jsonBody: unknown, status = 200): RunInput {
  return {
    fetchResult: { status, jsonBody },
    discount: { discountClasses: ["PRODUCT"], configuration: CONFIGURATION },
    cart: {
      lines: [
        {
          id: "gid://shopify/CartLine/1",
          quantity: 3,
          cost: { amountPerQuantity: { amount: "10.0", currencyCode: "USD" } },
        },
        {
          id: "gid://shopify/CartLine/2",
          quantity: 1,
          cost: { amountPerQuantity: { amount: "4.5", currencyCode: "USD" } },
        },
        {
          id: "gid://shopify/CartLine/3",
          quantity: 1,
          cost: { amountPerQuantity: { amount: "2.0", currencyCode: "USD" } },
        },
      ],
    },
  };
}
