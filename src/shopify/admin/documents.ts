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
