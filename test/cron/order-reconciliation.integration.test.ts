import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { listCronRuns } from "../../src/db/cron-runs";
import { describeOrder } from "../../src/db/order-exports";
import { watermarks } from "../../src/db/schema";
import { readWatermark } from "../../src/db/watermarks";
import { EnvelopeSchema } from "../../src/queues/envelope";
import { isDomainHandled } from "../../src/queues/handlers";
import { domainsOfTopic } from "../../src/shopify/topics";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import { message, newOrderId, orderEnvelope, orderPayload } from "../support/orders";
import type { SandboxHandle } from "../support/sandbox";
import { SHOP } from "../support/webhooks";
import { fireCron, recordingEnv, seedStandIn, standInFaults } from "./support";

const CRON = "*/10 * * * *";
const db = openDatabase(env.DB);
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
  // The watermark is per shop and D1 is shared by the whole file: start every test afresh.
  await db.delete(watermarks);
});
afterEach(() => sandbox.restore());

/** An order Shopify has, changed `minutesAgo`, whose webhooks the hub may never have had. */
async function shopifyHasOrder(minutesAgo: number, overrides: Record<string, unknown> = {}) {
  const orderId = newOrderId();
  const updatedAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const payload = orderPayload(orderId, { updated_at: updatedAt, ...overrides });
  await seedStandIn({
    shop: SHOP,
    orders: [{ legacyResourceId: orderId, updatedAt, payload }],
  });
  return { orderId, updatedAt, payload };
}

function envelopesFor(sent: unknown[], orderId: string) {
  return sent
    .map((body) => EnvelopeSchema.parse(body))
    .filter((envelope) => envelope.subjects.orderId === orderId);
}

function erpEvents(orderId: string) {
  return sandbox.calls("erp").filter((call) => call.orderId === orderId && call.status < 300);
}

describe("the missed-webhook reconciliation cron", () => {
  it("exports an order whose webhook never arrived, once, through the sandbox ERP", async () => {
    const { orderId, updatedAt } = await shopifyHasOrder(5);
    const queues = recordingEnv();

    expect(await fireCron(CRON, queues.env)).toBeUndefined();

    const [fed, ...others] = envelopesFor(queues.orders.sent, orderId);
    expect(others).toEqual([]);
    expect(fed).toMatchObject({
      domain: "orders",
      topic: "orders/create",
      webhookId: `reconcile:${orderId}:${Date.parse(updatedAt)}:orders/create`,
      eventId: `reconcile:${orderId}:${Date.parse(updatedAt)}`,
      triggeredAt: updatedAt,
    });
    const alsoInventory = domainsOfTopic("orders/create").filter(isDomainHandled).length - 1;
    expect(envelopesFor(queues.inventory.sent, orderId)).toHaveLength(alsoInventory);
    if (!fed) return;

    await consume("hub-orders", [message(fed)]);
    expect(erpEvents(orderId)).toHaveLength(1);
    const { targets } = await describeOrder(db, SHOP, orderId);
    expect(targets.find((target) => target.connector === "erp")).toMatchObject({
      status: "exported",
      exportedRevision: Date.parse(updatedAt),
    });

    const [run] = await listCronRuns(db, "orders-reconciliation", 1);
    expect(run).toMatchObject({ status: "succeeded" });
    expect(JSON.parse(run?.summary ?? "{}").shops).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          shop: SHOP,
          fed: [expect.objectContaining({ orderId, topics: ["orders/create"] })],
        }),
      ]),
    );
  });

  it("does nothing on a second run, though the write-back changed the order in Shopify", async () => {
    const { orderId } = await shopifyHasOrder(5);
    const first = recordingEnv();
    await fireCron(CRON, first.env);
    await consume(
      "hub-orders",
      envelopesFor(first.orders.sent, orderId).map((e) => message(e)),
    );

    const second = recordingEnv();
    expect(await fireCron(CRON, second.env)).toBeUndefined();

    expect(second.orders.sent).toEqual([]);
    expect(second.inventory.sent).toEqual([]);
    expect(erpEvents(orderId)).toHaveLength(1);
  });

  it("does not re-send an order the hub already exported from its webhook", async () => {
    const { orderId, payload } = await shopifyHasOrder(5);
    await consume("hub-orders", [message(orderEnvelope("orders/create", payload))]);
    expect(erpEvents(orderId)).toHaveLength(1);

    const queues = recordingEnv();
    expect(await fireCron(CRON, queues.env)).toBeUndefined();

    expect(envelopesFor(queues.orders.sent, orderId)).toEqual([]);
    expect(erpEvents(orderId)).toHaveLength(1);
  });

  it("feeds the update and the payment of an order paid while its webhooks were lost", async () => {
    const { orderId, payload } = await shopifyHasOrder(20);
    await consume("hub-orders", [message(orderEnvelope("orders/create", payload))]);
    const paidAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await seedStandIn({
      shop: SHOP,
      orders: [
        {
          legacyResourceId: orderId,
          updatedAt: paidAt,
          payload: { ...payload, updated_at: paidAt, financial_status: "paid" },
        },
      ],
    });

    const queues = recordingEnv();
    await fireCron(CRON, queues.env);
    const fed = envelopesFor(queues.orders.sent, orderId);
    expect(fed.map((envelope) => envelope.topic)).toEqual(["orders/updated", "orders/paid"]);

    await consume(
      "hub-orders",
      fed.map((envelope) => message(envelope)),
    );
    const { exports } = await describeOrder(db, SHOP, orderId);
    const erp = exports.filter((row) => row.connector === "erp");
    expect(erp.map((row) => [row.effect, row.status])).toEqual([
      ["create", "exported"],
      ["update", "exported"],
      ["payment", "exported"],
    ]);
    expect(erp.find((row) => row.effect === "payment")).toMatchObject({
      amount: "1983.36",
      currency: "USD",
    });
  });

  it("moves the watermark to the search-index margin when everything was handled", async () => {
    await shopifyHasOrder(5);
    const before = Date.now();

    await fireCron(CRON, recordingEnv().env);

    const watermark = await readWatermark(db, SHOP, "orders-reconciliation");
    expect(Date.parse(watermark ?? "")).toBeGreaterThanOrEqual(before - 61_000);
    expect(Date.parse(watermark ?? "")).toBeLessThanOrEqual(Date.now() - 59_000);
  });

  it("records a failed run and keeps the watermark when Shopify fails", async () => {
    await shopifyHasOrder(5);
    // Both shops list orders; fail every call of this run.
    await standInFaults({ serverError: 4 });

    const error = await fireCron(CRON, recordingEnv().env);

    expect(error).toBeInstanceOf(Error);
    expect(await readWatermark(db, SHOP, "orders-reconciliation")).toBeUndefined();
    const [run] = await listCronRuns(db, "orders-reconciliation", 1);
    expect(run?.status).toBe("failed");
  });
});
