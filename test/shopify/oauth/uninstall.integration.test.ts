import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { getInstallationStatus } from "../../../src/db/compliance";
import { findShopToken } from "../../../src/db/shop-tokens";
import { createLogger } from "../../../src/observability/logger";
import { completeInstall } from "../../../src/shopify/oauth/installation";
import type { TokenKeyring } from "../../../src/shopify/oauth/token-cipher";
import { consume } from "../../support/consume";
import { buildEnvelope } from "../../support/envelopes";
import { message, newOrderId, orderEnvelope, orderPayload } from "../../support/orders";
import { deliver, SHOP } from "../../support/webhooks";

const db = openDatabase(env.DB);
const logger = createLogger("error");
const keyring: TokenKeyring = {
  keys: JSON.parse(env.TOKEN_ENCRYPTION_KEYS) as Record<string, string>,
  activeKid: env.TOKEN_ENCRYPTION_ACTIVE_KID,
};

async function install(shop = SHOP): Promise<void> {
  await completeInstall(db, keyring, logger, shop, {
    accessToken: `shpat_${crypto.randomUUID()}`,
    scopes: ["write_orders"],
  });
}

function uninstall(triggeredAt = new Date().toISOString()) {
  const envelope = buildEnvelope({
    topic: "app/uninstalled",
    triggeredAt,
    subjects: {},
    payload: { id: 1, domain: SHOP, myshopify_domain: SHOP },
  });
  return consume("hub-compliance", [message(envelope)]);
}

describe("app/uninstalled", () => {
  it("revokes the stored token, keeping the row without its ciphertext", async () => {
    await install();

    const result = await uninstall();

    expect(result.explicitAcks).toHaveLength(1);
    expect(await findShopToken(db, SHOP)).toMatchObject({
      ciphertext: null,
      iv: null,
      keyId: null,
      revokedAt: expect.any(Number),
    });
    expect(await getInstallationStatus(db, SHOP)).toBe("uninstalled");
  });

  it("answers webhooks of an uninstalled shop 200 ignored, but still takes compliance topics", async () => {
    await install();
    await uninstall();

    const order = await deliver(orderPayload(newOrderId()), { topic: "orders/create" });
    const redact = await deliver(
      { shop_domain: SHOP, customer: { id: 42 }, orders_to_redact: [] },
      { topic: "customers/redact" },
    );

    expect(order.status).toBe(200);
    expect(await order.json()).toMatchObject({ status: "ignored", reason: "shop_uninstalled" });
    expect(redact.status).toBe(202);
  });

  it("acknowledges queued work of an uninstalled shop without doing it", async () => {
    await install();
    await uninstall();

    // No sandbox answers here: an export attempt would fail and be retried, not acked.
    const result = await consume("hub-orders", [
      message(orderEnvelope("orders/create", orderPayload(newOrderId()))),
    ]);

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
  });

  it("reactivates the shop when it installs again through OAuth", async () => {
    await install();
    await uninstall();

    await install();
    const order = await deliver(orderPayload(newOrderId()), { topic: "orders/create" });

    expect(await getInstallationStatus(db, SHOP)).toBe("active");
    expect(order.status).toBe(202);
    expect((await findShopToken(db, SHOP))?.revokedAt).toBeNull();
  });

  it("ignores an uninstall older than the current installation", async () => {
    await install();
    const current = await findShopToken(db, SHOP);

    await uninstall(new Date(Date.now() - 60_000).toISOString());

    expect(await getInstallationStatus(db, SHOP)).toBe("active");
    expect((await findShopToken(db, SHOP))?.ciphertext).toBe(current?.ciphertext);
  });
});
