import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyAndPublish, BASE_BOOK } from "../../support/pricing";

const SHOP = "test-shop.myshopify.com";
const OPERATOR = { authorization: "Bearer operator-token-0123456789" };

async function versions(query: string, headers: Record<string, string> = OPERATOR) {
  return exports.default.fetch(
    new Request(`https://hub.test/admin/api/prices/versions?${query}`, { headers }),
  );
}

describe("GET /admin/api/prices/versions", () => {
  it("lists a shop's versions newest first and marks the live one", async () => {
    await applyAndPublish(SHOP, BASE_BOOK);
    const { version } = await applyAndPublish(SHOP, [
      {
        type: "entries.upsert",
        entries: [
          { priceListId: "list-usd", sku: "SKU-B", tiers: [{ minQuantity: 1, unitPrice: "4.40" }] },
        ],
      },
    ]);

    const response = await versions(`shop=${SHOP}`);
    const body = (await response.json()) as {
      latestVersion: number;
      publishedVersion: number;
      items: { version: number; kind: string; actor: string; live: boolean }[];
    };

    expect(response.status).toBe(200);
    expect(body.latestVersion).toBe(version);
    expect(body.publishedVersion).toBe(version);
    expect(body.items[0]).toMatchObject({ version, actor: "connector:erp", live: true });
    expect(body.items.slice(1).every((item) => !item.live)).toBe(true);
    expect(body.items.map((item) => item.version)).toEqual(
      [...body.items.map((item) => item.version)].sort((a, b) => b - a),
    );
  });

  it("summarises every shop's latest and live version without a shop", async () => {
    const response = await versions("");
    const body = (await response.json()) as {
      items: { shop: string; latestVersion: number; publishedVersion: number }[];
    };

    expect(response.status).toBe(200);
    expect(body.items.find((item) => item.shop === SHOP)).toMatchObject({
      latestVersion: expect.any(Number),
      publishedVersion: expect.any(Number),
    });
  });

  it("needs a token and a valid shop", async () => {
    expect((await versions("shop=nope")).status).toBe(400);
    expect((await versions(`shop=${SHOP}`, {})).status).toBe(401);
  });
});
