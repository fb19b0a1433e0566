import type { Settings } from "../../config/settings";
import { openDatabase } from "../../db/client";
import { findShopToken } from "../../db/shop-tokens";
import { PermanentError } from "../../queues/errors";
import { openToken, type TokenKeyring } from "./token-cipher";

/** The settings that decide which Admin API token a shop's calls use. */
export type AdminTokenSettings = Pick<
  Settings,
  "SHOPIFY_ADMIN_TOKENS" | "TOKEN_ENCRYPTION_KEYS" | "TOKEN_ENCRYPTION_ACTIVE_KID"
>;

/** The token keys as settings hold them. */
export function tokenKeyring(settings: AdminTokenSettings): TokenKeyring {
  return {
    keys: settings.TOKEN_ENCRYPTION_KEYS,
    activeKid: settings.TOKEN_ENCRYPTION_ACTIVE_KID,
  };
}

/**
 * The offline Admin API token for `shop`: the one the shop granted through OAuth while it
 * is not revoked, else the custom-app token from SHOPIFY_ADMIN_TOKENS. Read from D1 on every
 * call, so an uninstall or a reinstall takes effect on the next request.
 * @throws {PermanentError} `missing_admin_token` when the hub has neither;
 *   `token_key_missing` / `token_undecryptable` when the stored token cannot be decrypted.
 */
export async function adminTokenFor(
  env: Cloudflare.Env,
  settings: AdminTokenSettings,
  shop: string,
): Promise<string> {
  const row = await findShopToken(openDatabase(env.DB), shop);
  if (row && row.revokedAt === null && row.ciphertext && row.iv && row.keyId) {
    return openToken(tokenKeyring(settings), shop, {
      ciphertext: row.ciphertext,
      iv: row.iv,
      keyId: row.keyId,
    });
  }

  const configured = settings.SHOPIFY_ADMIN_TOKENS[shop];
  if (configured) return configured;
  throw new PermanentError(
    "missing_admin_token",
    `No Admin API token for ${shop}: install the app through /auth/install or add it to SHOPIFY_ADMIN_TOKENS`,
  );
}
