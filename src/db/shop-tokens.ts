import { and, asc, eq, isNotNull, isNull, lte, ne, or } from "drizzle-orm";
import type { SealedToken } from "../shopify/oauth/token-cipher";
import type { Database } from "./client";
import { shopTokens } from "./schema";

export type ShopTokenRow = typeof shopTokens.$inferSelect;

/**
 * Stores the token a shop granted, replacing any earlier (or revoked) one: an install or a
 * reinstall. Returns nothing; the row is the shop's only token from now on.
 */
export async function saveShopToken(
  db: Database,
  token: { shop: string; sealed: SealedToken; scopes: string },
  now = Date.now(),
): Promise<void> {
  const row = {
    ciphertext: token.sealed.ciphertext,
    iv: token.sealed.iv,
    keyId: token.sealed.keyId,
    scopes: token.scopes,
    installedAt: now,
    revokedAt: null,
    updatedAt: now,
  };
  await db
    .insert(shopTokens)
    .values({ shop: token.shop, ...row })
    .onConflictDoUpdate({ target: shopTokens.shop, set: row });
}

export async function findShopToken(db: Database, shop: string): Promise<ShopTokenRow | undefined> {
  const [row] = await db.select().from(shopTokens).where(eq(shopTokens.shop, shop));
  return row;
}

/** Every shop's token state, ciphertext left out. */
export async function listShopTokens(db: Database) {
  return db
    .select({
      shop: shopTokens.shop,
      keyId: shopTokens.keyId,
      scopes: shopTokens.scopes,
      installedAt: shopTokens.installedAt,
      revokedAt: shopTokens.revokedAt,
    })
    .from(shopTokens)
    .orderBy(asc(shopTokens.shop));
}

export type RevokeOutcome = "revoked" | "already_revoked" | "no_token" | "reinstalled_since";

/**
 * Revokes the shop's token for an uninstall Shopify reported at `uninstalledAt`: the
 * ciphertext is deleted, the row kept as a record. A token installed after that moment
 * belongs to a reinstall and is left alone (`reinstalled_since`), so a late
 * `app/uninstalled` never cuts off a shop that came back.
 */
export async function revokeShopToken(
  db: Database,
  shop: string,
  uninstalledAt: number,
  now = Date.now(),
): Promise<RevokeOutcome> {
  const revoked = await db
    .update(shopTokens)
    .set({ ciphertext: null, iv: null, keyId: null, revokedAt: now, updatedAt: now })
    .where(
      and(
        eq(shopTokens.shop, shop),
        isNull(shopTokens.revokedAt),
        lte(shopTokens.installedAt, uninstalledAt),
      ),
    )
    .returning({ shop: shopTokens.shop });
  if (revoked.length > 0) return "revoked";

  const row = await findShopToken(db, shop);
  if (!row) return "no_token";
  if (row.revokedAt !== null) return "already_revoked";
  return "reinstalled_since";
}

/** Up to `limit` live tokens not yet encrypted under `activeKid`. */
export async function tokensNotUnder(
  db: Database,
  activeKid: string,
  limit: number,
): Promise<ShopTokenRow[]> {
  return db
    .select()
    .from(shopTokens)
    .where(
      and(
        isNotNull(shopTokens.ciphertext),
        or(isNull(shopTokens.keyId), ne(shopTokens.keyId, activeKid)),
      ),
    )
    .orderBy(asc(shopTokens.shop))
    .limit(limit);
}

/**
 * Swaps a row's ciphertext for the same token under another key, only if the row still
 * holds `previous` (a reinstall or revocation in between wins). Returns whether it did.
 */
export async function replaceSealedToken(
  db: Database,
  shop: string,
  previous: { ciphertext: string },
  sealed: SealedToken,
  now = Date.now(),
): Promise<boolean> {
  const updated = await db
    .update(shopTokens)
    .set({ ...sealed, updatedAt: now })
    .where(and(eq(shopTokens.shop, shop), eq(shopTokens.ciphertext, previous.ciphertext)))
    .returning({ shop: shopTokens.shop });
  return updated.length > 0;
}
