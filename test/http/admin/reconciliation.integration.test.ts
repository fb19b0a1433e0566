import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { watermarks } from "../../../src/db/schema";
import { fireCron, recordingEnv, seedStandIn } from "../../cron/support";
import { fetchWith } from "../../support/env";
import { newOrderId, orderPayload } from "../../support/orders";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";
import { SHOP } from "../../support/webhooks";

const OPERATOR = "Bearer operator-token-0123456789";
const VIEWER = "Bearer viewer-token-0123456789ab";
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = installSandbox();
  await openDatabase(env.DB).delete(watermarks);
});
afterEach(() => sandbox.restore());

function request(method: string, path: string, authorization?: string) {
  return new Request(`https://hub.test/admin/api${path}`, {
    method,
    headers: authorization ? { authorization } : {},
  });
}

describe("POST /admin/api/orders/reconcile", () => {
  it.each([
    ["no token", undefined, 401, "missing_token"],
    ["a read-only token", VIEWER, 403, "insufficient_scope"],
  ])("refuses %s", async (_case, authorization, status, reason) => {
    const response = await exports.default.fetch(
      request("POST", `/orders/reconcile?shop=${SHOP}`, authorization),
    );

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it.each([
    ["a shop the hub does not serve", "?shop=elsewhere.myshopify.com", 404, "unknown_shop"],
    ["no shop", "", 400, "invalid_request"],
  ])("answers %s with a problem", async (_case, query, status, reason) => {
    const response = await exports.default.fetch(
      request("POST", `/orders/reconcile${query}`, OPERATOR),
    );

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("reconciles the shop now and answers with what it fed", async () => {
    const orderId = newOrderId();
    const updatedAt = new Date(Date.now() - 3 * 60_000).toISOString();
    await seedStandIn({
      shop: SHOP,
      orders: [
        {
          legacyResourceId: orderId,
          updatedAt,
          payload: orderPayload(orderId, { updated_at: updatedAt }),
        },
      ],
    });
    const queues = recordingEnv();

    const response = await fetchWith(
      queues.env,
      request("POST", `/orders/reconcile?shop=${SHOP}`, OPERATOR),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      shop: SHOP,
      complete: true,
      fed: [{ orderId, updatedAt, topics: ["orders/create"] }],
    });
    expect(queues.orders.sent).toHaveLength(1);
  });
});

describe("GET /admin/api/cron-runs", () => {
  it("lists recent runs with their summaries, newest first", async () => {
    await fireCron("*/10 * * * *", recordingEnv().env);

    const response = await exports.default.fetch(
      request("GET", "/cron-runs?job=orders-reconciliation&limit=1", VIEWER),
    );

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { job: string; summary: unknown }[] };
    expect(body.items).toEqual([
      expect.objectContaining({
        job: "orders-reconciliation",
        status: "succeeded",
        summary: { shops: expect.any(Array) },
      }),
    ]);
  });

  it("requires a token", async () => {
    const response = await exports.default.fetch(request("GET", "/cron-runs"));

    expect(response.status).toBe(401);
  });
});

describe("GET /admin/api/reconciliation/payouts", () => {
  it.each([
    ["an unknown run", `?runId=${crypto.randomUUID()}`, 404, "unknown_run"],
    ["a malformed run id", "?runId=42", 400, "invalid_request"],
  ])("answers %s with a problem", async (_case, query, status, reason) => {
    const response = await exports.default.fetch(
      request("GET", `/reconciliation/payouts${query}`, VIEWER),
    );

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("returns one run by id with its mismatches", async () => {
    await seedStandIn({ shop: SHOP, payouts: [] });
    await fireCron("30 4 * * *", env);
    const list = await exports.default.fetch(
      request("GET", `/reconciliation/payouts?shop=${SHOP}&limit=1`, VIEWER),
    );
    const [latest] = ((await list.json()) as { items: { id: string }[] }).items;

    const response = await exports.default.fetch(
      request("GET", `/reconciliation/payouts?runId=${latest?.id}`, VIEWER),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [expect.objectContaining({ id: latest?.id, shop: SHOP, payouts: 0, mismatches: [] })],
    });
  });
});
