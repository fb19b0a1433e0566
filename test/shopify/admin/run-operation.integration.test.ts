import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { PermanentError, RetryableError } from "../../../src/queues/errors";
import { shopBudget } from "../../../src/shopify/admin/budget";
import { ORDERS_UPDATED_SINCE } from "../../../src/shopify/admin/documents";
import { type AdminOperation, runAdminOperation } from "../../../src/shopify/admin/run-operation";
import {
  configuredContext,
  freshShop,
  installStandIn,
  STAND_IN_BASE,
  type StandInHandle,
} from "./stand-in-fetch";

let standIn: StandInHandle;
beforeEach(() => {
  standIn = installStandIn();
});
afterEach(() => standIn.restore());

const OrdersDataSchema = z.object({
  orders: z.object({
    nodes: z.array(z.object({ id: z.string(), updatedAt: z.string() })),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

function ordersOperation(
  overrides: Partial<AdminOperation<z.infer<typeof OrdersDataSchema>>> = {},
): AdminOperation<z.infer<typeof OrdersDataSchema>> {
  return {
    name: "OrdersUpdatedSince",
    document: ORDERS_UPDATED_SINCE,
    variables: { first: 10, after: null, query: "updated_at:>='2026-12-01T00:00:00Z'" },
    estimatedCost: 12,
    dataSchema: OrdersDataSchema,
    ...overrides,
  };
}

/** The settled outcome of a promise expected to reject. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("runAdminOperation", () => {
  it("posts the document to SHOPIFY_ADMIN_URL with the shop's token and pinned version", async () => {
    const ctx = configuredContext();
    await standIn.seed({
      shop: "test-shop.myshopify.com",
      orders: [{ legacyResourceId: "1001", updatedAt: "2026-12-02T10:00:00Z" }],
    });

    const data = await runAdminOperation(ctx, "test-shop.myshopify.com", ordersOperation());

    expect(data.orders.nodes).toEqual([
      { id: "gid://shopify/Order/1001", updatedAt: "2026-12-02T10:00:00.000Z" },
    ]);
    const [request] = standIn.requests;
    expect(request?.url).toBe(
      `${STAND_IN_BASE}/test-shop.myshopify.com/admin/api/${ctx.settings.SHOPIFY_API_VERSION}/graphql.json`,
    );
    expect(request?.headers.get("x-shopify-access-token")).toBe("shpat_test_shop_token");
    expect(await request?.json()).toMatchObject({ variables: { first: 10 } });
  });

  it("fails permanently without a call when the shop has no token", async () => {
    const { ctx } = freshShop();

    const error = await failureOf(
      runAdminOperation(ctx, "unknown-shop.myshopify.com", ordersOperation()),
    );

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: "missing_admin_token" });
    expect(standIn.requests).toHaveLength(0);
  });

  it("turns THROTTLED into a RetryableError timed from throttleStatus, then recovers", async () => {
    const { shop, ctx } = freshShop();
    await standIn.faults({ throttle: 1 });

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    // The stand-in drained its bucket: 12 requested points at 100/s is under a second.
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "shopify_throttled", options: { retryAfterSeconds: 1 } });
    const mirrored = await shopBudget(ctx.env, shop).snapshot();
    expect(mirrored.source).toBe("shopify");
    expect(mirrored.available).toBeLessThan(12);

    // The budget makes the next caller wait inline for the points, and Shopify accepts it.
    const data = await runAdminOperation(ctx, shop, ordersOperation());
    expect(data.orders.nodes).toEqual([]);
    expect((await standIn.calls()).map((call) => call.operationName)).toEqual([
      "OrdersUpdatedSince",
      "OrdersUpdatedSince",
    ]);
  });

  it("backs off without calling Shopify when the shared budget is spent", async () => {
    const { shop, ctx } = freshShop();
    await shopBudget(ctx.env, shop).settle(1, {
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 1 },
    });

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({
      code: "shopify_budget_exhausted",
      options: { retryAfterSeconds: 12 },
    });
    expect(standIn.requests).toHaveLength(0);
  });

  it("refunds the unused estimate from Shopify's actual cost", async () => {
    const { shop, ctx } = freshShop();

    await runAdminOperation(ctx, shop, ordersOperation({ estimatedCost: 500 }));

    // Actual cost of an empty page is 2; the stand-in reports 1998 left.
    const snapshot = await shopBudget(ctx.env, shop).snapshot();
    expect(snapshot.available).toBeGreaterThanOrEqual(1998);
  });

  it("makes one attempt only on a 5xx: the queue owns retries", async () => {
    const { shop, ctx } = freshShop();
    await standIn.faults({ serverError: 1 });

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "shopify_unavailable" });
    expect(await standIn.calls()).toHaveLength(1);
  });

  it.each([
    [401, {}, PermanentError, "shopify_unauthorized", undefined],
    [403, {}, PermanentError, "shopify_forbidden", undefined],
    [404, {}, PermanentError, "shopify_not_found", undefined],
    [402, {}, PermanentError, "shopify_shop_frozen", undefined],
    [400, {}, PermanentError, "shopify_rejected", undefined],
    [429, { "retry-after": "7" }, RetryableError, "shopify_rate_limited", 7],
    [503, { "retry-after": "30" }, RetryableError, "shopify_unavailable", 30],
    [408, {}, RetryableError, "shopify_timeout", undefined],
  ])("maps HTTP %i to %s", async (status, headers, errorClass, code, retryAfterSeconds) => {
    const { shop, ctx } = freshShop();
    standIn.answerWith(async () => new Response("nope", { status, headers }));

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code });
    if (error instanceof RetryableError) {
      expect(error.options.retryAfterSeconds).toBe(retryAfterSeconds);
    }
  });

  it("maps a network failure to a retryable error", async () => {
    const { shop, ctx } = freshShop();
    standIn.answerWith(() => Promise.reject(new TypeError("Network connection lost.")));

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "shopify_network_error" });
  });

  it("gives up after CONNECTOR_TIMEOUT_MS with a retryable timeout", async () => {
    const { shop, ctx } = freshShop({ CONNECTOR_TIMEOUT_MS: "50" });
    standIn.answerWith(
      (request) =>
        new Promise((_resolve, reject) =>
          request.signal.addEventListener("abort", () => reject(request.signal.reason)),
        ),
    );

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "shopify_timeout" });
  });

  it("fails permanently on GraphQL validation errors", async () => {
    const { shop, ctx } = freshShop();

    const error = await failureOf(
      runAdminOperation(
        ctx,
        shop,
        ordersOperation({ name: "Unknown", document: "query Unknown { shop { id } }" }),
      ),
    );

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: "shopify_graphql_error" });
    expect(String(error)).toContain("Unknown");
  });

  it("fails permanently when data does not have the expected shape", async () => {
    const { shop, ctx } = freshShop();
    const expectingEdges = {
      ...ordersOperation(),
      dataSchema: z.object({ orders: z.object({ edges: z.array(z.unknown()) }) }),
    };

    const error = await failureOf(runAdminOperation(ctx, shop, expectingEdges));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: "shopify_unexpected_data" });
  });

  it("retries later on a 200 whose body is not JSON", async () => {
    const { shop, ctx } = freshShop();
    standIn.answerWith(async () => new Response("<html>", { status: 200 }));

    const error = await failureOf(runAdminOperation(ctx, shop, ordersOperation()));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "shopify_malformed_response" });
  });
});
