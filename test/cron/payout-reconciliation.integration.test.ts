import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { watermarks } from "../../src/db/schema";
import { readWatermark } from "../../src/db/watermarks";
import { installSandboxAndCloseBreakers } from "../support/connector-sandbox";
import { consume } from "../support/consume";
import {
  message,
  newOrderId,
  orderEnvelope,
  orderPayload,
  seedShopifyOrder,
} from "../support/orders";
import type { SandboxHandle } from "../support/sandbox";
import { SHOP } from "../support/webhooks";
import { fireCron, seedStandIn } from "./support";

const CRON = "30 4 * * *";
const OTHER_SHOP = "other-shop.myshopify.com";
const VIEWER = "Bearer viewer-token-0123456789ab";
const HOUR = 60 * 60 * 1000;
const db = openDatabase(env.DB);
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await installSandboxAndCloseBreakers();
  await db.delete(watermarks);
});
afterEach(() => sandbox.restore());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const usd = (amount: string) => ({ amount, currencyCode: "USD" });

/** An order paid `hoursAgo` through `gateway`, whose payment the ERP accepted (1983.36 USD). */
async function erpGotPayment(shop: string, hoursAgo: number, gateway = "shopify_payments") {
  const orderId = newOrderId();
  await seedShopifyOrder(orderId, shop);
  const payload = orderPayload(orderId, {
    financial_status: "paid",
    payment_gateway_names: [gateway],
  });
  const envelope = {
    ...orderEnvelope("orders/paid", payload),
    shop,
    triggeredAt: ago(hoursAgo * HOUR),
  };
  await consume("hub-orders", [message(envelope)]);
  expect(sandbox.orders("erp").some((order) => order.orderId === orderId)).toBe(true);
  return orderId;
}

function transaction(
  id: string,
  orderId: string,
  amount: string,
  hoursAgo: number,
  type = "CHARGE",
) {
  return {
    legacyResourceId: id,
    type,
    transactionDate: ago(hoursAgo * HOUR),
    amount: usd(amount),
    fee: usd("0.30"),
    net: usd(amount),
    orderLegacyId: orderId,
  };
}

async function payoutRuns(shop: string) {
  const response = await exports.default.fetch(
    `https://hub.test/admin/api/reconciliation/payouts?shop=${shop}`,
    { headers: { authorization: VIEWER } },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    items: {
      id: string;
      status: string;
      missing: number;
      extra: number;
      amount: number;
      unverified: number;
      mismatches: { kind: string; orderId: string; effect: string; detail: string | null }[];
    }[];
  };
  return body.items;
}

describe("the payout reconciliation cron", () => {
  it("reports missing, extra and amount mismatches against what the ERP received", async () => {
    const matched = await erpGotPayment(SHOP, 5);
    const underpaid = await erpGotPayment(SHOP, 5);
    const extra = await erpGotPayment(SHOP, 5);
    const paidByBankTransfer = await erpGotPayment(SHOP, 5, "manual");
    const neverExported = newOrderId();
    const issuedAt = ago(HOUR / 2);
    await seedStandIn({
      shop: SHOP,
      payouts: [
        {
          legacyResourceId: "9001",
          issuedAt,
          net: usd("4383.06"),
          balanceTransactions: [
            transaction("1", neverExported, "500.00", 10),
            transaction("2", matched, "1983.36", 5),
            transaction("3", underpaid, "1900.00", 1),
            { ...transaction("4", matched, "-0.30", 3, "ADJUSTMENT") },
          ],
        },
      ],
    });

    expect(await fireCron(CRON, env)).toBeUndefined();

    const [run] = await payoutRuns(SHOP);
    expect(run).toMatchObject({ status: "succeeded", missing: 1, extra: 1, amount: 1 });
    const found = run?.mismatches.map(({ kind, orderId, effect }) => ({ kind, orderId, effect }));
    expect(found).toEqual(
      expect.arrayContaining([
        { kind: "missing", orderId: neverExported, effect: "payment" },
        { kind: "amount", orderId: underpaid, effect: "payment" },
        { kind: "extra", orderId: extra, effect: "payment" },
      ]),
    );
    expect(found).toHaveLength(3);
    expect(run?.mismatches.find((m) => m.kind === "amount")?.detail).toBe(
      "ERP minus Shopify: 83.36 USD",
    );
    expect(found?.some((m) => m.orderId === paidByBankTransfer)).toBe(false);
    expect(await readWatermark(db, SHOP, "payouts-reconciliation")).toBe(issuedAt);
  });

  it("finds nothing on a clean day", async () => {
    const first = await erpGotPayment(OTHER_SHOP, 6);
    const second = await erpGotPayment(OTHER_SHOP, 3);
    await seedStandIn({
      shop: OTHER_SHOP,
      payouts: [
        {
          legacyResourceId: "9101",
          issuedAt: ago(HOUR),
          net: usd("3966.72"),
          balanceTransactions: [
            transaction("11", first, "1983.36", 6),
            transaction("12", second, "1983.36", 3),
          ],
        },
      ],
    });

    expect(await fireCron(CRON, env)).toBeUndefined();

    const [run] = await payoutRuns(OTHER_SHOP);
    expect(run).toMatchObject({
      status: "succeeded",
      missing: 0,
      extra: 0,
      amount: 0,
      unverified: 0,
      mismatches: [],
    });
  });
});
