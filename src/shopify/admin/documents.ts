// The GraphQL documents the hub sends to the Shopify Admin API. Plain strings with no
// imports, so test/node/graphql-documents.test.ts can validate every export against the
// published schema of the pinned API version. Each document holds one named operation; the
// local stand-in (sandbox/shopify) dispatches on that name.

/**
 * Records a connector's external reference on an order: an app-owned metafield
 * (`$app:edge_hub` namespace) and a tag, in one request. Both mutations are idempotent
 * (set and add), so a retried write-back is harmless. Needs `write_orders`.
 */
export const ORDER_WRITE_BACK = /* GraphQL */ `
  mutation OrderWriteBack($orderId: ID!, $metafields: [MetafieldsSetInput!]!, $tags: [String!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
        value
      }
      userErrors {
        field
        message
        code
      }
    }
    tagsAdd(id: $orderId, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * One page of orders updated after a moment, oldest change first, for the reconciliation
 * that finds orders whose webhooks never arrived. `$query` is a search string such as
 * `updated_at:>'2026-12-01T00:00:00Z'`. Needs `read_orders` (and `read_all_orders` to look
 * back more than 60 days).
 */
export const ORDERS_UPDATED_SINCE = /* GraphQL */ `
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        legacyResourceId
        name
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * One page of Shopify Payments payouts, oldest first; `$query` is a search string such as
 * `issued_at:>='2026-12-01T00:00:00Z'`. Needs `read_shopify_payments_payouts`.
 */
export const PAYOUTS_SINCE = /* GraphQL */ `
  query PayoutsSince($first: Int!, $after: String, $query: String!) {
    shopifyPaymentsAccount {
      payouts(first: $first, after: $after, query: $query, sortKey: ISSUED_AT) {
        nodes {
          id
          legacyResourceId
          issuedAt
          status
          net {
            amount
            currencyCode
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/**
 * One page of the balance transactions settled by one payout. The Admin API has no
 * `payout_id` filter; `payments_transfer_id:<payout legacyResourceId>` is its equivalent.
 * Needs `read_shopify_payments_payouts`.
 */
export const PAYOUT_BALANCE_TRANSACTIONS = /* GraphQL */ `
  query PayoutBalanceTransactions($first: Int!, $after: String, $query: String!) {
    shopifyPaymentsAccount {
      balanceTransactions(first: $first, after: $after, query: $query) {
        nodes {
          id
          type
          transactionDate
          sourceOrderTransactionId
          amount {
            amount
            currencyCode
          }
          fee {
            amount
            currencyCode
          }
          net {
            amount
            currencyCode
          }
          associatedOrder {
            id
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

// The tax lines and discount allocations of a line item or a shipping line: the order export
// reads both the same way.
const TAX_AND_DISCOUNT_FIELDS = /* GraphQL */ `
  taxLines {
    title
    rate
    priceSet {
      shopMoney {
        amount
      }
    }
  }
  discountAllocations {
    allocatedAmountSet {
      shopMoney {
        amount
      }
    }
    discountApplication {
      index
    }
  }
`;

// A MailingAddress as the order export maps it, for both the billing and shipping address.
const ADDRESS_FIELDS = /* GraphQL */ `
  firstName
  lastName
  name
  company
  address1
  address2
  city
  province
  provinceCode
  zip
  country
  countryCodeV2
  phone
`;

// One line item as the order export needs it. Shared by the two documents below so a line
// on the first page and a line on a later page read the same; interpolated, not a fragment,
// so each document stays a single definition.
const LINE_ITEM_FIELDS = /* GraphQL */ `
  id
  sku
  title
  variantTitle
  quantity
  requiresShipping
  taxable
  variant {
    legacyResourceId
  }
  product {
    legacyResourceId
  }
  originalUnitPriceSet {
    shopMoney {
      amount
    }
  }
  totalDiscountSet {
    shopMoney {
      amount
    }
  }
  ${TAX_AND_DISCOUNT_FIELDS}
`;

/**
 * One order with everything the order export reads from an `orders/*` webhook, so the
 * reconciliation of missed webhooks can rebuild that payload (src/shopify/admin/
 * order-for-export.ts maps it). Line items come in pages; ORDER_LINE_ITEMS fetches the rest.
 * Needs `read_orders` (and `read_all_orders` for orders older than 60 days).
 */
export const ORDER_FOR_EXPORT = /* GraphQL */ `
  query OrderForExport($id: ID!, $lineItemsFirst: Int!) {
    order(id: $id) {
      id
      legacyResourceId
      name
      createdAt
      updatedAt
      processedAt
      cancelledAt
      cancelReason
      test
      currencyCode
      presentmentCurrencyCode
      displayFinancialStatus
      displayFulfillmentStatus
      taxesIncluded
      email
      phone
      note
      clientIp
      poNumber
      tags
      paymentGatewayNames
      purchasingEntity {
        ... on PurchasingCompany {
          company {
            id
          }
          location {
            id
          }
        }
      }
      paymentTerms {
        paymentTermsName
        paymentTermsType
        dueInDays
        paymentSchedules(first: 1) {
          nodes {
            dueAt
          }
        }
      }
      customer {
        legacyResourceId
        firstName
        lastName
        defaultEmailAddress {
          emailAddress
        }
        defaultPhoneNumber {
          phoneNumber
        }
      }
      billingAddress {
        ${ADDRESS_FIELDS}
      }
      shippingAddress {
        ${ADDRESS_FIELDS}
      }
      lineItems(first: $lineItemsFirst) {
        nodes {
          ${LINE_ITEM_FIELDS}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      shippingLines(first: 10) {
        nodes {
          code
          title
          originalPriceSet {
            shopMoney {
              amount
            }
          }
          discountedPriceSet {
            shopMoney {
              amount
            }
          }
          ${TAX_AND_DISCOUNT_FIELDS}
        }
      }
      discountApplications(first: 20) {
        nodes {
          index
          targetType
          value {
            ... on PricingPercentageValue {
              percentage
            }
            ... on MoneyV2 {
              amount
            }
          }
          ... on DiscountCodeApplication {
            code
          }
        }
      }
      subtotalPriceSet {
        shopMoney {
          amount
        }
      }
      totalDiscountsSet {
        shopMoney {
          amount
        }
      }
      totalTaxSet {
        shopMoney {
          amount
        }
      }
      totalOutstandingSet {
        shopMoney {
          amount
        }
      }
      totalPriceSet {
        shopMoney {
          amount
          currencyCode
        }
        presentmentMoney {
          amount
          currencyCode
        }
      }
      totalShippingPriceSet {
        shopMoney {
          amount
          currencyCode
        }
        presentmentMoney {
          amount
          currencyCode
        }
      }
    }
  }
`;

/** The line items of an order after the first page of ORDER_FOR_EXPORT. Needs `read_orders`. */
export const ORDER_LINE_ITEMS = /* GraphQL */ `
  query OrderLineItems($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      lineItems(first: $first, after: $after) {
        nodes {
          ${LINE_ITEM_FIELDS}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/**
 * The companies a customer buys for and the locations their roles cover, for the buyer
 * directory's backfill when the App Proxy meets a customer no webhook told the hub about.
 * Needs `read_customers` and `read_companies`.
 */
export const BUYER_COMPANIES = /* GraphQL */ `
  query BuyerCompanies($customerId: ID!) {
    customer(id: $customerId) {
      id
      companyContactProfiles {
        id
        company {
          id
        }
        roleAssignments(first: 50) {
          nodes {
            companyLocation {
              id
            }
          }
        }
      }
    }
  }
`;
