import { appendAudit } from "../../audit/append";
import type { Database } from "../../db/client";
import { getInstallationStatus, setInstallationStatus } from "../../db/compliance";
import { type RevokeOutcome, revokeShopToken, saveShopToken } from "../../db/shop-tokens";
import type { Logger } from "../../observability/logger";
import type { GrantedToken } from "./access-token";
import { sealToken, type TokenKeyring } from "./token-cipher";

/**
 * Whether the hub works for `shop`: false once Shopify reported `app/uninstalled` (or the
 * shop was redacted) until the merchant installs the app again through OAuth. Ingress and
 * consumers skip everything but compliance work for such a shop.
 * TODO(soon): the cron jobs and the inventory push consumer iterate SHOPS without asking.
 */
export async function isShopActive(db: Database, shop: string): Promise<boolean> {
  return (await getInstallationStatus(db, shop)) === "active";
}

/**
 * Finishes an OAuth install or reinstall: the token is encrypted and stored (replacing a
 * revoked one), the shop is active again, and the change is audited.
 */
export async function completeInstall(
  db: Database,
  keyring: TokenKeyring,
  logger: Logger,
  shop: string,
  granted: GrantedToken,
): Promise<void> {
  const previous = await getInstallationStatus(db, shop);
  const sealed = await sealToken(keyring, shop, granted.accessToken);
  await saveShopToken(db, { shop, sealed, scopes: granted.scopes.join(",") });
  await setInstallationStatus(db, shop, "active");

  await audit(db, logger, {
    actor: `shop:${shop}`,
    action: "shop.installed",
    subject: `shop:${shop}`,
    before: { installation: previous },
    after: { installation: "active", scopes: granted.scopes, keyId: sealed.keyId },
  });
}

/**
 * `app/uninstalled`: revokes the stored token and marks the shop uninstalled, unless the
 * shop installed again after `uninstalledAt` (a late webhook), which is left untouched.
 */
export async function recordUninstall(
  db: Database,
  logger: Logger,
  shop: string,
  uninstalledAt: number,
): Promise<{ installation: "uninstalled" | "active"; token: RevokeOutcome }> {
  const token = await revokeShopToken(db, shop, uninstalledAt);
  if (token === "reinstalled_since") {
    logger.info("uninstall predates the current installation; ignored");
    return { installation: "active", token };
  }

  await setInstallationStatus(db, shop, "uninstalled");
  await audit(db, logger, {
    actor: `shop:${shop}`,
    action: "shop.uninstalled",
    subject: `shop:${shop}`,
    before: null,
    after: { installation: "uninstalled", token },
  });
  return { installation: "uninstalled", token };
}

// The change itself is done by the time this runs, so a failed append must not undo or
// hide it: it is logged at error level with the entry instead.
async function audit(db: Database, logger: Logger, entry: Parameters<typeof appendAudit>[1][0]) {
  try {
    await appendAudit(db, [entry]);
  } catch (error) {
    logger.error("installation change not audited", {
      action: entry.action,
      subject: entry.subject,
      errorMessage: error instanceof Error ? error.message : String(error),
    });
  }
}
