// The B2B price-list GraphQL documents, beside ./documents.ts and checked the same way by
// test/node/graphql-documents.test.ts against the pinned Admin API schema. One named
// operation each; the local stand-in (sandbox/shopify) dispatches on it.

/**
 * Sets fixed prices, quantity price breaks and quantity rules of variants in one Shopify
 * PriceList. Shopify runs the deletes before the adds and applies all or nothing; every
 * input array holds at most 250 items. Needs `write_products` (B2B price lists).
 */
export const QUANTITY_PRICING_UPDATE = /* GraphQL */ `
  mutation QuantityPricingByVariantUpdate(
    $priceListId: ID!
    $input: QuantityPricingByVariantUpdateInput!
  ) {
    quantityPricingByVariantUpdate(priceListId: $priceListId, input: $input) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * Product variants by SKU: `$query` is a search string such as `sku:'A-1' OR sku:'B-2'`.
 * Maps the ERP's SKUs to the variants a price list prices. Needs `read_products`.
 */
export const PRODUCT_VARIANTS_BY_SKU = /* GraphQL */ `
  query ProductVariantsBySku($first: Int!, $after: String, $query: String!) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes {
        id
        sku
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
