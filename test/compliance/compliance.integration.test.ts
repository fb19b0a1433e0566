import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { getInstallationStatus } from "../../src/db/compliance";
import { recordDeadLetter } from "../../src/db/dead-letters";
import {
  complianceRequests,
  deadLetters,
  storedPayloads,
  webhookReceipts,
} from "../../src/db/schema";
import { storePayload } from "../../src/queues/payload-store";
import { buildEnvelope } from "../support/envelopes";
import { deliver, eventually } from "../support/webhooks";

const db = openDatabase(env.DB);
const OPERATOR = { authorization: "Bearer operator-token-0123456789" };

/** Seeds what the hub holds about an order: a stored payload and a parked dead letter. */
async function seedOrderData(shop: string, orderId: string, customerId: string) {
  const body = new TextEncoder().encode(
    JSON.stringify({
      id: Number(orderId),
      email: "jane@example.com",
      customer: { id: Number(customerId) },
    }),
  );
  const stored = await storePayload(
    env.PAYLOADS,
    db,
    {
      shop,
      webhookId: `order-${orderId}`,
      topic: "orders/create",
      subjects: { orderId, customerId },
    },
    body,
  );
  const deadLetterId = await recordDeadLetter(db, {
    shop,
    domain: "orders",
    topic: "orders/updated",
    webhookId: `order-update-${orderId}`,
    subjects: { orderId, customerId },
    envelope: buildEnvelope({
      shop,
      domain: "orders",
      topic: "orders/updated",
      payload: { id: Number(orderId), email: "jane@example.com" },
    }),
    errorClass: "permanent",
    errorCode: "http_400",
    errorMessage: "ERP rejected the order",
    attempts: 1,
  });
  return { key: stored.key, deadLetterId };
}

async function completedRequest(webhookId: string) {
  return eventually(async () => {
    const [row] = await db
      .select()
      .from(complianceRequests)
      .where(eq(complianceRequests.webhookId, webhookId));
    return row?.completedAt ? row : undefined;
  });
}

describe("compliance webhooks", () => {
  it("customers/redact deletes the customer's stored payloads and redacts dead letters", async () => {
    const shop = "test-shop.myshopify.com";
    const held = await seedOrderData(shop, "5001", "9001");
    const unrelated = await seedOrderData(shop, "5002", "9002");

    const webhookId = `redact-${crypto.randomUUID()}`;
    const response = await deliver(
      {
        shop_id: 1,
        shop_domain: shop,
        customer: { id: 9001, email: "jane@example.com", phone: "555-0100" },
        orders_to_redact: [5001],
      },
      { topic: "customers/redact", webhookId },
    );
    expect(response.status).toBe(202);

    const request = await completedRequest(webhookId);
    expect(JSON.parse(request.result ?? "{}")).toEqual({
      customerId: "9001",
      ordersToRedact: 1,
      storedPayloadsDeleted: 1,
      deadLettersRedacted: 1,
      orderEventsDeleted: 0,
    });

    expect(await env.PAYLOADS.get(held.key)).toBeNull();
    const [letter] = await db
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.id, held.deadLetterId));
    expect(letter?.envelope).not.toContain("jane@example.com");
    expect(JSON.parse(letter?.envelope ?? "{}").payload).toEqual({ redacted: true });
    expect(letter?.status).toBe("discarded");

    expect(await env.PAYLOADS.get(unrelated.key)).not.toBeNull();
    const [other] = await db
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.id, unrelated.deadLetterId));
    expect(other?.envelope).toContain("jane@example.com");
  });

  it("customers/data_request exports what the hub holds, for the operator to download", async () => {
    const shop = "test-shop.myshopify.com";
    await seedOrderData(shop, "6001", "9100");

    const webhookId = `data-${crypto.randomUUID()}`;
    await deliver(
      {
        shop_id: 1,
        shop_domain: shop,
        customer: { id: 9100, email: "jane@example.com" },
        orders_requested: [6001],
        data_request: { id: 77 },
      },
      { topic: "customers/data_request", webhookId },
    );
    const request = await completedRequest(webhookId);
    expect(JSON.parse(request.result ?? "{}")).toMatchObject({
      customerId: "9100",
      dataRequestId: "77",
      storedPayloads: 1,
      deadLetters: 1,
    });

    const viewer = await exports.default.fetch(
      `https://hub.test/admin/api/compliance/requests/${request.id}/export`,
      { headers: { authorization: "Bearer viewer-token-0123456789ab" } },
    );
    expect(viewer.status).toBe(403);

    const download = await exports.default.fetch(
      `https://hub.test/admin/api/compliance/requests/${request.id}/export`,
      { headers: OPERATOR },
    );
    expect(download.status).toBe(200);
    const document = (await download.json()) as {
      customerId: string;
      storedPayloads: { body: { id: number } }[];
      deadLetters: unknown[];
    };
    expect(document.customerId).toBe("9100");
    expect(document.storedPayloads.map((payload) => payload.body.id)).toEqual([6001]);
    expect(document.deadLetters).toHaveLength(1);
  });

  it("shop/redact purges everything the hub holds for the shop, and only that shop", async () => {
    const shop = "other-shop.myshopify.com";
    const held = await seedOrderData(shop, "7001", "9200");
    const kept = await seedOrderData("test-shop.myshopify.com", "7002", "9201");
    await deliver(
      { shop_domain: shop, customer: { id: 1 }, orders_to_redact: [] },
      { shop, topic: "customers/redact" },
    );

    const webhookId = `shop-redact-${crypto.randomUUID()}`;
    await deliver({ shop_id: 2, shop_domain: shop }, { shop, topic: "shop/redact", webhookId });
    const request = await completedRequest(webhookId);

    expect(JSON.parse(request.result ?? "{}")).toMatchObject({
      storedPayloadsDeleted: 1,
      deadLettersDeleted: 1,
    });
    expect(await env.PAYLOADS.get(held.key)).toBeNull();
    expect(await db.select().from(storedPayloads).where(eq(storedPayloads.shop, shop))).toEqual([]);
    expect(await db.select().from(deadLetters).where(eq(deadLetters.shop, shop))).toEqual([]);
    expect(await db.select().from(webhookReceipts).where(eq(webhookReceipts.shop, shop))).toEqual(
      [],
    );
    expect(await getInstallationStatus(db, shop)).toBe("redacted");

    expect(await env.PAYLOADS.get(kept.key)).not.toBeNull();
  });

  it("app/uninstalled marks the shop uninstalled", async () => {
    const webhookId = `uninstalled-${crypto.randomUUID()}`;
    await deliver(
      { id: 1, myshopify_domain: "test-shop.myshopify.com" },
      { topic: "app/uninstalled", webhookId },
    );
    await completedRequest(webhookId);
    expect(await getInstallationStatus(db, "test-shop.myshopify.com")).toBe("uninstalled");
  });
});
