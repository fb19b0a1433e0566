import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermanentError } from "../../../src/queues/errors";
import { writeBackOrderReference } from "../../../src/shopify/admin/order-write-back";
import { listOrdersUpdatedSince } from "../../../src/shopify/admin/orders-updated-since";
import {
  listPayoutBalanceTransactions,
  listPayoutsSince,
} from "../../../src/shopify/admin/payouts";
import { freshShop, installStandIn, type StandInHandle } from "./stand-in-fetch";

let standIn: StandInHandle;
beforeEach(() => {
  standIn = installStandIn();
});
afterEach(() => standIn.restore());

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

const usd = (amount: string) => ({ amount, currencyCode: "USD" });

describe("writeBackOrderReference", () => {
  it("sets the app-owned metafield and adds the tag in one call", async () => {
    const { shop, ctx } = freshShop();
    await standIn.seed({
      shop,
      orders: [{ legacyResourceId: "5551110001", updatedAt: "2026-12-01T10:00:00Z" }],
    });

    const written = await writeBackOrderReference(ctx, shop, {
      orderGid: "gid://shopify/Order/5551110001",
      target: "erp",
      externalRef: "SO-1001",
    });

    const [order] = await standIn.orders(shop);
    expect(written).toEqual({
      metafieldId: expect.stringMatching(/^gid:\/\/shopify\/Metafield\//),
      tag: "erp:SO-1001",
    });
    expect(order?.tags).toEqual(["erp:SO-1001"]);
    expect(order?.metafields["$app:edge_hub.erp_reference"]).toMatchObject({ value: "SO-1001" });
    expect((await standIn.calls()).map((call) => call.operationName)).toEqual(["OrderWriteBack"]);
  });

  it("is idempotent: a repeat leaves one tag and one metafield", async () => {
    const { shop, ctx } = freshShop();
    await standIn.seed({
      shop,
      orders: [{ legacyResourceId: "42", updatedAt: "2026-12-01T10:00:00Z" }],
    });
    const reference = {
      orderGid: "gid://shopify/Order/42",
      target: "oms",
      externalRef: "F-9",
    } as const;

    const first = await writeBackOrderReference(ctx, shop, reference);
    const second = await writeBackOrderReference(ctx, shop, reference);

    const [order] = await standIn.orders(shop);
    expect(second.metafieldId).toBe(first.metafieldId);
    expect(order?.tags).toEqual(["oms:F-9"]);
    expect(Object.keys(order?.metafields ?? {})).toEqual(["$app:edge_hub.oms_reference"]);
  });

  it("surfaces userErrors with their field and message as a PermanentError", async () => {
    const { shop, ctx } = freshShop();

    const error = await failureOf(
      writeBackOrderReference(ctx, shop, {
        orderGid: "gid://shopify/Order/404",
        target: "erp",
        externalRef: "SO-1",
      }),
    );

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: "shopify_user_errors" });
    expect(String(error)).toContain("metafieldsSet metafields.0.ownerId: Owner does not exist.");
    expect(String(error)).toContain("tagsAdd id: Order does not exist");
  });

  it.each([
    ["a comma in the reference", { externalRef: "SO-1,SO-2" }],
    ["an empty reference", { externalRef: "  " }],
    ["a non-order id", { orderGid: "gid://shopify/Customer/1" }],
  ])("refuses %s without calling Shopify", async (_title, change) => {
    const { shop, ctx } = freshShop();

    const error = await failureOf(
      writeBackOrderReference(ctx, shop, {
        orderGid: "gid://shopify/Order/1",
        target: "erp",
        externalRef: "SO-1",
        ...change,
      }),
    );

    expect(error).toMatchObject({ code: "invalid_write_back" });
    expect(standIn.requests).toHaveLength(0);
  });
});

describe("listOrdersUpdatedSince", () => {
  it("pages through orders changed since a moment, oldest change first", async () => {
    const { shop, ctx } = freshShop();
    const orders = Array.from({ length: 150 }, (_, index) => ({
      legacyResourceId: String(1000 + index),
      updatedAt: new Date(Date.UTC(2026, 11, 1, 0, index)).toISOString(),
    }));
    await standIn.seed({
      shop,
      orders: [{ legacyResourceId: "1", updatedAt: "2026-11-01T00:00:00Z" }, ...orders],
    });

    const first = await listOrdersUpdatedSince(ctx, shop, "2026-12-01T00:00:00Z");
    const second = await listOrdersUpdatedSince(
      ctx,
      shop,
      "2026-12-01T00:00:00Z",
      first.pageInfo.endCursor ?? undefined,
    );

    expect(first.orders).toHaveLength(100);
    expect(first.orders[0]).toEqual({
      id: "gid://shopify/Order/1000",
      legacyResourceId: "1000",
      name: "#1000",
      updatedAt: "2026-12-01T00:00:00.000Z",
    });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.orders.map((order) => order.legacyResourceId)).toEqual(
      orders.slice(100).map((order) => order.legacyResourceId),
    );
    expect(second.pageInfo.hasNextPage).toBe(false);
    const [call] = await standIn.calls();
    expect(call?.variables).toEqual({
      first: 100,
      after: null,
      query: "updated_at:>='2026-12-01T00:00:00Z'",
    });
  });

  it("refuses a timestamp that is not ISO-8601", async () => {
    const { shop, ctx } = freshShop();

    const error = await failureOf(listOrdersUpdatedSince(ctx, shop, "yesterday' OR '1"));

    expect(error).toMatchObject({ code: "invalid_timestamp" });
    expect(standIn.requests).toHaveLength(0);
  });
});

describe("listPayoutsSince and listPayoutBalanceTransactions", () => {
  const payouts = [
    {
      legacyResourceId: "701",
      issuedAt: "2026-11-28T00:00:00Z",
      net: usd("10.00"),
      balanceTransactions: [],
    },
    {
      legacyResourceId: "702",
      issuedAt: "2026-12-02T00:00:00Z",
      net: usd("96.80"),
      balanceTransactions: [
        {
          legacyResourceId: "9001",
          transactionDate: "2026-12-01T09:00:00Z",
          amount: usd("100.00"),
          fee: usd("3.20"),
          net: usd("96.80"),
          orderLegacyId: "5551110001",
          sourceOrderTransactionId: "777",
        },
      ],
    },
  ];

  it("lists payouts issued since a moment and the transactions of one payout", async () => {
    const { shop, ctx } = freshShop();
    await standIn.seed({ shop, payouts });

    const page = await listPayoutsSince(ctx, shop, "2026-12-01T00:00:00Z");
    const transactions = await listPayoutBalanceTransactions(ctx, shop, "702");

    expect(page?.nodes).toEqual([
      {
        id: "gid://shopify/ShopifyPaymentsPayout/702",
        legacyResourceId: "702",
        issuedAt: "2026-12-02T00:00:00.000Z",
        status: "PAID",
        net: usd("96.80"),
      },
    ]);
    expect(transactions?.nodes).toEqual([
      {
        id: "gid://shopify/ShopifyPaymentsBalanceTransaction/9001",
        type: "CHARGE",
        transactionDate: "2026-12-01T09:00:00.000Z",
        sourceOrderTransactionId: "777",
        amount: usd("100.00"),
        fee: usd("3.20"),
        net: usd("96.80"),
        associatedOrder: { id: "gid://shopify/Order/5551110001" },
      },
    ]);
    const calls = await standIn.calls();
    expect(calls[1]?.variables).toMatchObject({ query: "payments_transfer_id:702" });
  });

  it("returns null when the shop has no Shopify Payments account", async () => {
    const { shop, ctx } = freshShop();

    expect(await listPayoutsSince(ctx, shop, "2026-12-01T00:00:00Z")).toBeNull();
    expect(await listPayoutBalanceTransactions(ctx, shop, "702")).toBeNull();
  });

  it("refuses a payout id that is not numeric", async () => {
    const { shop, ctx } = freshShop();

    const error = await failureOf(listPayoutBalanceTransactions(ctx, shop, "702 OR 1"));

    expect(error).toMatchObject({ code: "invalid_payout_id" });
  });
});
