// The inventory GraphQL documents, beside ./documents.ts and checked the same way by
// test/node/graphql-documents.test.ts against the pinned Admin API schema. Plain strings
// with one named operation each; the local stand-in (sandbox/shopify) dispatches on it.

/**
 * Sets `available` for up to 250 item-location pairs. From 2026-04 Shopify requires the
 * `@idempotent` key, and every quantity must carry `changeFromQuantity` (the value the
 * hub last saw Shopify confirm; `null` skips the compare-and-set). A stale compare fails
 * with `CHANGE_FROM_QUANTITY_STALE`. Needs `write_inventory`.
 */
export const INVENTORY_SET_AVAILABLE = /* GraphQL */ `
  mutation InventorySetAvailable($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * The `available` quantity of inventory items at every location that stocks them, to
 * recover from a stale compare-and-set. `$ids` holds at most 250 InventoryItem GIDs.
 * Needs `read_inventory`.
 */
export const INVENTORY_AVAILABLE = /* GraphQL */ `
  query InventoryAvailable($ids: [ID!]!, $locations: Int!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevels(first: $locations) {
          nodes {
            location {
              id
            }
            quantities(names: ["available"]) {
              name
              quantity
            }
          }
        }
      }
    }
  }
`;

/**
 * Inventory items by SKU: `$query` is a search string such as `sku:'A-1' OR sku:'B-2'`.
 * Maps the OMS's SKUs to Shopify's InventoryItem ids. Needs `read_inventory`.
 */
export const INVENTORY_ITEMS_BY_SKU = /* GraphQL */ `
  query InventoryItemsBySku($first: Int!, $after: String, $query: String!) {
    inventoryItems(first: $first, after: $after, query: $query) {
      nodes {
        id
        sku
        tracked
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * One page of the shop's active locations with the app-owned `location_code` metafield an
 * operator may set to the OMS's code; without it the location's name is its code.
 * Needs `read_locations`.
 */
export const INVENTORY_LOCATIONS = /* GraphQL */ `
  query InventoryLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      nodes {
        id
        name
        isActive
        locationCode: metafield(namespace: "$app:edge_hub", key: "location_code") {
          value
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * The `available` quantity of up to 250 inventory items at one location, for the nightly
 * sanity check; an item the location does not stock has a null `inventoryLevel`.
 * Needs `read_inventory`.
 */
export const INVENTORY_LEVELS_AT_LOCATION = /* GraphQL */ `
  query InventoryLevelsAtLocation($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;
