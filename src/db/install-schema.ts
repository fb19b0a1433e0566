import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Installing the hub on a shop through OAuth (docs/install.md). Times are epoch milliseconds.
 */

/**
 * The offline Admin API token each shop granted through OAuth, encrypted with AES-GCM under
 * the key `keyId` names (TOKEN_ENCRYPTION_KEYS). `app/uninstalled` sets `revokedAt` and
 * clears the ciphertext; a reinstall writes a fresh row over it.
 */
export const shopTokens = sqliteTable(
  "shop_tokens",
  {
    shop: text("shop").primaryKey(),
    /** Base64 AES-GCM ciphertext with its tag; null once revoked. */
    ciphertext: text("ciphertext"),
    /** Base64 96-bit nonce, fresh per encryption; null once revoked. */
    iv: text("iv"),
    keyId: text("key_id"),
    /** The scopes Shopify granted, comma-separated as it sends them. */
    scopes: text("scopes").notNull(),
    installedAt: integer("installed_at").notNull(),
    revokedAt: integer("revoked_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("shop_tokens_key_id").on(table.keyId)],
);

/**
 * One row per OAuth install in flight: the `state` nonce sent to Shopify's authorize page.
 * The callback deletes it as it checks it, so a state is good for one callback only.
 */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    state: text("state").primaryKey(),
    shop: text("shop").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("oauth_states_expires_at").on(table.expiresAt)],
);
