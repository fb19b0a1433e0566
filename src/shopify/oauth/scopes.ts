import { z } from "zod";

/**
 * Every Admin API access scope the hub may ask a merchant for, each with the named
 * operations (src/shopify/admin/*documents.ts) that need it. Anything else is refused when
 * OAUTH_SCOPES is parsed. test/node/oauth-scopes.test.ts checks that each operation named
 * here exists and that every document's operation is covered by some scope, so adding a
 * document forces a look at this list.
 * @see https://shopify.dev/docs/api/usage/access-scopes
 */
export const SCOPE_ALLOW_LIST = {
  read_orders: {
    operations: ["OrdersUpdatedSince", "OrderForExport", "OrderLineItems"],
    why: "reads orders to reconcile missed webhooks and rebuild an order's export",
  },
  write_orders: {
    operations: ["OrderWriteBack"],
    why: "writes the ERP/OMS reference back onto the order (tags and metafields)",
  },
  read_all_orders: {
    operations: ["OrderForExport", "OrderLineItems"],
    why: "replays orders older than 60 days; Shopify must approve it for the app first",
  },
  read_customers: {
    operations: ["OrderForExport", "BuyerCompanies"],
    // Shopify's company objects need read_customers *or* read_companies, so one is enough.
    why: "reads the order's customer and B2B company, and a buyer's company roles",
  },
  read_shopify_payments_payouts: {
    operations: ["PayoutsSince", "PayoutBalanceTransactions"],
    why: "matches Shopify Payments payouts against exported payments",
  },
  read_inventory: {
    operations: ["InventoryAvailable", "InventoryItemsBySku", "InventoryLevelsAtLocation"],
    why: "maps SKUs to inventory items and reads available quantities for drift checks",
  },
  write_inventory: {
    operations: ["InventorySetAvailable"],
    why: "pushes available-to-sell quantities from the ERP/OMS",
  },
  read_locations: {
    operations: ["InventoryLocations"],
    why: "maps Shopify locations to the OMS's location codes",
  },
} as const satisfies Record<string, { operations: readonly string[]; why: string }>;

export type OauthScope = keyof typeof SCOPE_ALLOW_LIST;

const ALLOWED = Object.keys(SCOPE_ALLOW_LIST) as [OauthScope, ...OauthScope[]];

export const OauthScopeSchema = z.enum(ALLOWED, {
  error: (issue) =>
    `"${String(issue.input)}" is not on the scope allow-list (${ALLOWED.join(", ")})`,
});

/**
 * What the hub asks for when OAUTH_SCOPES is not set: every feature, no more. A write scope
 * grants its read scope, so `read_orders` and `read_inventory` are not asked for again, and
 * `read_all_orders` needs Shopify's approval, so it is opt-in.
 */
export const DEFAULT_OAUTH_SCOPES: readonly OauthScope[] = [
  "write_orders",
  "read_customers",
  "read_shopify_payments_payouts",
  "write_inventory",
  "read_locations",
];

/**
 * Parses OAUTH_SCOPES: a comma-separated list, each scope on {@link SCOPE_ALLOW_LIST},
 * duplicates dropped. Empty means {@link DEFAULT_OAUTH_SCOPES}.
 */
export const OauthScopesSchema = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  )
  .pipe(z.array(OauthScopeSchema))
  .transform((scopes) => (scopes.length ? [...new Set(scopes)] : [...DEFAULT_OAUTH_SCOPES]));

/**
 * The requested scopes Shopify's grant does not cover. A granted `write_x` covers `read_x`,
 * and Shopify may list only the write scope.
 */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return requested.filter(
    (scope) => !have.has(scope) && !have.has(scope.replace(/^read_/, "write_")),
  );
}

/** Splits Shopify's comma-separated `scope` field. */
export function parseGrantedScopes(scope: string): string[] {
  return scope
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}
