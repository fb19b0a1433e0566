import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireCron } from "../../cron/support";
import {
  forgetInventoryRecords,
  LOCATION,
  shopifyShows,
  syncedSkus,
} from "../../inventory/drift/support";
import { shopifyAvailable, shopifyCalls } from "../../support/inventory";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";
import { SHOP } from "../../support/webhooks";

const OPERATOR = "Bearer operator-token-0123456789";
const VIEWER = "Bearer viewer-token-0123456789ab";
let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = installSandbox();
  await forgetInventoryRecords();
});
afterEach(() => sandbox.restore());

function call(method: string, path: string, authorization?: string) {
  return exports.default.fetch(
    new Request(`https://hub.test/admin/api/inventory${path}`, {
      method,
      headers: authorization ? { authorization } : {},
    }),
  );
}

describe("GET /admin/api/inventory/drift", () => {
  it("reports the shop's latest sanity check with its findings", async () => {
    const [item] = await syncedSkus(2, () => 10);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 12);
    expect(await fireCron("0 4 * * *", env)).toBeUndefined();

    const response = await call("GET", `/drift?shop=${SHOP}`, VIEWER);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { run: { id: string }; findings: unknown[] };
    expect(body).toMatchObject({
      run: { shop: SHOP, status: "succeeded", checked: 2, drifted: 1, corrected: 1 },
      findings: [
        {
          sku: item.sku,
          locationId: LOCATION.code,
          shopify: 12,
          hub: 10,
          omsSnapshot: 10,
          drift: 2,
          action: "corrected",
        },
      ],
      truncated: false,
    });

    const byId = await call("GET", `/drift?shop=${SHOP}&runId=${body.run.id}`, VIEWER);
    expect(await byId.json()).toMatchObject({ run: { id: body.run.id } });
  });

  it.each([
    ["no token", `/drift?shop=${SHOP}`, undefined, 401, "missing_token"],
    ["a missing shop", "/drift", VIEWER, 400, "invalid_request"],
    [
      "a shop the hub does not serve",
      "/drift?shop=nope.myshopify.com",
      VIEWER,
      404,
      "unknown_shop",
    ],
    ["a shop never checked", `/drift?shop=${SHOP}`, VIEWER, 404, "unknown_run"],
    ["a run id that is not a UUID", `/drift?shop=${SHOP}&runId=42`, VIEWER, 400, "invalid_request"],
  ])("answers %s with a problem", async (_case, path, authorization, status, reason) => {
    const response = await call("GET", path, authorization);

    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ reason });
  });
});

describe("POST /admin/api/inventory/resync", () => {
  it.each([
    [1, 1],
    [251, 2],
  ])(
    "pushes all %i SKUs in %i inventorySetQuantities mutations, setting Shopify outright",
    async (count, mutations) => {
      const items = await syncedSkus(count, (index) => index + 1);
      // Shopify drifted everywhere; a resync overwrites it whatever the tolerance.
      for (const item of items.slice(0, 3)) await shopifyShows(item, 999);
      const before = (await shopifyCalls("InventorySetAvailable")).length;

      const response = await call("POST", `/resync?shop=${SHOP}`, OPERATOR);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        shop: SHOP,
        mapping: { locations: 1, skus: count, forgotten: 0 },
        push: { skus: count, quantities: count, mutations, unmapped: 0 },
      });
      const sent = (await shopifyCalls("InventorySetAvailable")).slice(before);
      expect(sent).toHaveLength(mutations);
      const quantities = sent.flatMap(
        (mutation) =>
          (mutation.variables.input as { quantities: { changeFromQuantity: unknown }[] })
            .quantities,
      );
      expect(quantities).toHaveLength(count);
      expect(quantities.every((quantity) => quantity.changeFromQuantity === null)).toBe(true);
      const shown = await shopifyAvailable();
      expect(items.map((item) => shown.get(`${item.sku}@${LOCATION.name}`))).toEqual(
        items.map((_item, index) => index + 1),
      );
    },
    60_000,
  );

  it.each([
    ["no token", `/resync?shop=${SHOP}`, undefined, 401, "missing_token"],
    ["a read-only token", `/resync?shop=${SHOP}`, VIEWER, 403, "insufficient_scope"],
    ["a bad shop", "/resync?shop=not-a-shop", OPERATOR, 400, "invalid_request"],
    [
      "a shop the hub does not serve",
      "/resync?shop=nope.myshopify.com",
      OPERATOR,
      404,
      "unknown_shop",
    ],
  ])("answers %s with a problem", async (_case, path, authorization, status, reason) => {
    const response = await call("POST", path, authorization);

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("answers 503 shopify_unavailable when Shopify is down, and a repeat finishes the job", async () => {
    const [item] = await syncedSkus(1, () => 4);
    if (!item) throw new Error("no SKU");
    await shopifyShows(item, 9);
    await fetch("http://sandbox.test/shopify/_control/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ serverError: 1 }),
    });

    const failed = await call("POST", `/resync?shop=${SHOP}`, OPERATOR);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("30");
    expect(await failed.json()).toMatchObject({ reason: "shopify_unavailable" });

    const repeated = await call("POST", `/resync?shop=${SHOP}`, OPERATOR);
    expect(repeated.status).toBe(200);
    expect((await shopifyAvailable()).get(`${item.sku}@${LOCATION.name}`)).toBe(4);
  });
});
