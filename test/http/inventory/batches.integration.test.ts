import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { delta, freshSku, omsCall, snapshot, stockOf } from "../../support/inventory";
import { SHOP } from "../../support/webhooks";

const OPERATOR = "Bearer operator-token-0123456789";

function batch(updates: unknown[], overrides: Record<string, unknown> = {}) {
  return { shop: SHOP, batchId: `b-${crypto.randomUUID()}`, updates, ...overrides };
}

async function readStock(path: string, init: RequestInit = {}) {
  return exports.default.fetch(
    new Request(`https://hub.test${path}`, {
      ...init,
      headers: { authorization: OPERATOR, "content-type": "application/json", ...init.headers },
    }),
  );
}

describe("POST /v1/inventory/batches", () => {
  it("applies good lines and rejects bad ones with their reasons, in line order", async () => {
    const [a, b] = [freshSku(), freshSku()];
    const body = batch([
      snapshot(a, 10, 3),
      { sku: b, locationId: "WH1", kind: "snapshot", sequence: 1 },
      delta(a, -3, 4),
      snapshot(b, 7, 1, { sourceTimestamp: "2026-12-01T10:00:00Z" }),
      snapshot(a, 50, 2),
      "not a line",
    ]);

    const response = await omsCall("/v1/inventory/batches", body);
    const json = (await response.json()) as {
      summary: Record<string, number>;
      results: { index: number; sku: string | null; status: string; reason?: string }[];
    };

    expect(response.status).toBe(207);
    expect(json.results.map((r) => [r.index, r.status, r.reason])).toEqual([
      [0, "accepted", undefined],
      [1, "rejected", "invalid_line"],
      [2, "accepted", undefined],
      [3, "rejected", "invalid_line"],
      [4, "ignored_stale", "older_than_snapshot"],
      [5, "rejected", "invalid_line"],
    ]);
    expect(json.results[1]?.sku).toBe(b);
    expect(json.summary).toEqual({
      accepted: 2,
      duplicate: 0,
      ignored_stale: 1,
      rejected: 3,
      failed: 0,
    });
    const view = await stockOf(a).stub.view(stockOf(a).key);
    expect(view.totals).toMatchObject({ onHand: 7, available: 7 });
  });

  it("answers a resent batch with duplicates and changes nothing", async () => {
    const sku = freshSku();
    const body = batch([snapshot(sku, 10, 1), delta(sku, 2, 2)]);

    await omsCall("/v1/inventory/batches", body);
    const again = (await (await omsCall("/v1/inventory/batches", body)).json()) as {
      summary: Record<string, number>;
    };

    expect(again.summary).toMatchObject({ accepted: 0, duplicate: 2 });
    expect((await stockOf(sku).stub.view(stockOf(sku).key)).totals.onHand).toBe(12);
  });

  it.each([
    [
      "a wrong secret",
      { secret: "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0wMTIzNDU2Nzg5" },
      401,
      "invalid_signature",
    ],
    ["a tampered body", { tamperedText: "{}" }, 401, "invalid_signature"],
  ])("rejects %s", async (_case, options, status, reason) => {
    const body = batch([snapshot(freshSku(), 1, 1)]);
    const signed = await omsCall("/v1/inventory/batches", body, options);

    expect(signed.status).toBe(status);
    expect(await signed.json()).toMatchObject({ reason });
  });

  it("rejects a batch for a shop the hub does not serve, and one over the line limit", async () => {
    const unknown = await omsCall(
      "/v1/inventory/batches",
      batch([snapshot(freshSku(), 1, 1)], { shop: "elsewhere.myshopify.com" }),
    );
    const huge = await omsCall(
      "/v1/inventory/batches",
      batch(Array.from({ length: 5001 }, () => ({}))),
    );

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ reason: "unknown_shop" });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ reason: "invalid_request" });
  });
});

describe("POST /v1/inventory/confirmations", () => {
  it("adjusts, commits and releases reservations, and rejects a confirm without quantity", async () => {
    const sku = freshSku();
    await omsCall("/v1/inventory/batches", batch([snapshot(sku, 10, 1)]));
    const { stub, key } = stockOf(sku);
    await stub.reserve(key, { orderId: "700", lineId: "1", quantity: 5, expiresAt: null });
    await stub.reserve(key, { orderId: "700", lineId: "2", quantity: 2, expiresAt: null });

    const response = await omsCall("/v1/inventory/confirmations", {
      shop: SHOP,
      confirmations: [
        { confirmationId: "k-1", orderId: "700", lineId: "1", sku, action: "confirm", quantity: 3 },
        { confirmationId: "k-2", orderId: "700", lineId: "1", sku, action: "commit" },
        { confirmationId: "k-3", orderId: "700", lineId: "2", sku, action: "release" },
        { confirmationId: "k-4", orderId: "700", lineId: "3", sku, action: "confirm" },
      ],
    });
    const json = (await response.json()) as {
      results: { status: string; reservation?: { status: string } }[];
    };

    expect(response.status).toBe(207);
    expect(json.results.map((r) => [r.status, r.reservation?.status])).toEqual([
      ["applied", "held"],
      ["applied", "committed"],
      ["applied", "released"],
      ["rejected", undefined],
    ]);
    expect((await stub.view(key)).totals).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
  });
});

describe("stock reads", () => {
  it("shows one SKU per location and many SKUs at once", async () => {
    const [a, b] = [freshSku(), freshSku()];
    await omsCall(
      "/v1/inventory/batches",
      batch([snapshot(a, 4, 1), snapshot(a, 6, 1, { locationId: "WH2" }), snapshot(b, 1, 1)]),
    );

    const one = await readStock(`/v1/inventory/${encodeURIComponent(a)}?shop=${SHOP}`);
    const many = await readStock("/v1/inventory/query", {
      method: "POST",
      body: JSON.stringify({ shop: SHOP, skus: [a, b, "NEVER-SEEN"] }),
    });

    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      sku: a,
      locations: [
        { locationId: "WH1", onHand: 4, available: 4 },
        { locationId: "WH2", onHand: 6, available: 6 },
      ],
      totals: { onHand: 10, available: 10 },
    });
    const items = (
      (await many.json()) as { items: { sku: string; totals: { available: number } }[] }
    ).items;
    expect(items.map((item) => [item.sku, item.totals.available])).toEqual([
      [a, 4 + 6],
      [b, 1],
      ["NEVER-SEEN", 0],
    ]);
  });

  it("needs an admin token and at most 100 SKUs", async () => {
    const anonymous = await exports.default.fetch(
      new Request(`https://hub.test/v1/inventory/X?shop=${SHOP}`),
    );
    const tooMany = await readStock("/v1/inventory/query", {
      method: "POST",
      body: JSON.stringify({ shop: SHOP, skus: Array.from({ length: 101 }, (_, i) => `S${i}`) }),
    });

    expect(anonymous.status).toBe(401);
    expect(tooMany.status).toBe(400);
  });
});
