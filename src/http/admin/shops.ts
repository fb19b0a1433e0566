import { inArray } from "drizzle-orm";
import { Hono } from "hono";
import { shopInstallations } from "../../db/schema";
import { listShopTokens } from "../../db/shop-tokens";
import { PermanentError } from "../../queues/errors";
import { tokenKeyring } from "../../shopify/oauth/admin-token";
import { reencryptTokens } from "../../shopify/oauth/rotate-keys";
import { ProblemError } from "../problem";
import { type AdminEnv, requireScope } from "./auth";

/** `/admin/api/shops`: how each served shop is installed, and the token key rotation. */
export const shopRoutes = new Hono<AdminEnv>();

shopRoutes.get("/", requireScope("read", { tenancy: "hub" }), async (c) => {
  const { settings, db } = c.var;
  const tokens = new Map((await listShopTokens(db)).map((token) => [token.shop, token]));
  const installations = new Map(
    (
      await db
        .select()
        .from(shopInstallations)
        .where(inArray(shopInstallations.shop, settings.SHOPS))
    ).map((row) => [row.shop, row.status]),
  );

  const items = settings.SHOPS.map((shop) => {
    const token = tokens.get(shop);
    const oauthLive = token !== undefined && token.revokedAt === null;
    return {
      shop,
      installation: installations.get(shop) ?? "active",
      tokenSource: oauthLive ? "oauth" : shop in settings.SHOPIFY_ADMIN_TOKENS ? "config" : "none",
      oauth: token
        ? {
            scopes: token.scopes ? token.scopes.split(",") : [],
            keyId: token.keyId,
            installedAt: new Date(token.installedAt).toISOString(),
            revokedAt: token.revokedAt === null ? null : new Date(token.revokedAt).toISOString(),
          }
        : null,
    };
  });
  return c.json({ items });
});

shopRoutes.post("/rotate-token-key", requireScope("operate", { tenancy: "hub" }), async (c) => {
  try {
    const report = await reencryptTokens(c.var.db, tokenKeyring(c.var.settings));
    c.var.logger.info("token key rotation ran", {
      activeKid: report.activeKid,
      reencrypted: report.reencrypted,
      failed: report.failed.length,
      remaining: report.remaining,
    });
    return c.json(report);
  } catch (error) {
    if (error instanceof PermanentError && error.code === "token_key_missing") {
      throw new ProblemError(409, "token_key_missing", "No active token key", error.message);
    }
    throw error;
  }
});
