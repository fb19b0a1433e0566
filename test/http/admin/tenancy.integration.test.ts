import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { parkComplianceLetter } from "../../support/dead-letters";
import { envWith, fetchWith } from "../../support/env";

const db = openDatabase(env.DB);
const SHOP = "test-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const RESTRICTED = "restricted-token-0123456789";

const testEnv = envWith({
  ADMIN_TOKENS: JSON.stringify([
    { name: "tenant", token: RESTRICTED, scopes: ["read", "operate"], shops: [SHOP] },
    { name: "hub", token: "hub-wide-token-0123456789", scopes: ["read", "operate"] },
  ]),
});

function call(path: string, method = "GET", token = RESTRICTED) {
  return fetchWith(
    testEnv,
    new Request(`https://hub.test/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

async function park(shop: string): Promise<string> {
  const { id } = await parkComplianceLetter(db, { envelope: { shop } });
  return id;
}

describe("per-token shop allow-list", () => {
  it.each([
    ["a shop-scoped list without ?shop=", "/dead-letters", "GET", 403, "shop_required"],
    ["another shop's list", `/dead-letters?shop=${OTHER}`, "GET", 403, "shop_forbidden"],
    ["the hub-wide webhook summary", `/webhooks/summary?shop=${SHOP}`, "GET", 403, "hub_only"],
    ["a breaker reset", `/breakers/erp/reset?shop=${SHOP}`, "POST", 403, "hub_only"],
  ])("refuses %s", async (_case, path, method, status, reason) => {
    const response = await call(path, method);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("shows only its own shop's dead letters", async () => {
    await park(SHOP);
    await park(OTHER);
    const response = await call(`/dead-letters?shop=${SHOP}`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { shop: string }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.shop === SHOP)).toBe(true);
  });

  it("answers 404 for another shop's dead letter, even when naming its own shop", async () => {
    const id = await park(OTHER);
    const response = await call(`/dead-letters/${id}?shop=${SHOP}`);
    expect(response.status).toBe(404);
    const replay = await call(`/dead-letters/${id}/replay?shop=${SHOP}`, "POST");
    expect(replay.status).toBe(404);
  });

  it("reads shared breaker states without a shop", async () => {
    expect((await call("/breakers")).status).toBe(200);
  });

  it("leaves hub-wide tokens unrestricted", async () => {
    const response = await call("/webhooks/summary", "GET", "hub-wide-token-0123456789");
    expect(response.status).toBe(200);
  });
});
