import { describe, expect, it } from "vitest";
import { createShopifyStandIn } from "../../../sandbox/shopify/app";
import { ORDERS_UPDATED_SINCE } from "../../../src/shopify/admin/documents";

const ENDPOINT = "/stand-shop.myshopify.com/admin/api/2026-10/graphql.json";

function graphql(
  standIn: ReturnType<typeof createShopifyStandIn>,
  body: unknown,
  headers: Record<string, string> = { "x-shopify-access-token": "shpat_x" },
) {
  return standIn.request(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const ordersQuery = {
  query: ORDERS_UPDATED_SINCE,
  variables: { first: 5, after: null, query: "updated_at:>='2026-12-01T00:00:00Z'" },
};

describe("createShopifyStandIn", () => {
  it("answers 401 without an access token and records nothing", async () => {
    const standIn = createShopifyStandIn();

    const response = await graphql(standIn, ordersQuery, {});

    expect(response.status).toBe(401);
    expect(await (await standIn.request("/_control/calls")).json()).toEqual({ calls: [] });
  });

  it("reports cost and throttleStatus like Shopify", async () => {
    const standIn = createShopifyStandIn();

    const body = await (await graphql(standIn, ordersQuery)).json();

    expect(body).toMatchObject({
      data: { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      extensions: {
        cost: {
          requestedQueryCost: 7,
          actualQueryCost: 2,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1998, restoreRate: 100 },
        },
      },
    });
  });

  it("throttles when its own bucket lacks the requested points, and restores over time", async () => {
    let now = 0;
    const standIn = createShopifyStandIn({ maximumAvailable: 20, restoreRate: 1, now: () => now });
    // Requests 17 points and is charged 2 for an empty page: 20 → 18 → 16, then short.
    const bigPage = { ...ordersQuery, variables: { ...ordersQuery.variables, first: 15 } };

    await graphql(standIn, bigPage);
    await graphql(standIn, bigPage);
    const throttled = await (await graphql(standIn, bigPage)).json();
    now = 1000;
    const answered = await (await graphql(standIn, bigPage)).json();

    expect(throttled).toMatchObject({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      extensions: {
        cost: {
          requestedQueryCost: 17,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 20, currentlyAvailable: 16, restoreRate: 1 },
        },
      },
    });
    expect(answered).toMatchObject({ extensions: { cost: { actualQueryCost: 2 } } });
  });

  it("injects faults in order, then answers normally once its bucket restores", async () => {
    let now = 0;
    const standIn = createShopifyStandIn({ now: () => now });
    await standIn.request("/_control/faults", {
      method: "POST",
      body: JSON.stringify({ serverError: 1, throttle: 1 }),
    });

    const outcomes: string[] = [];
    for (const at of [0, 0, 1000]) {
      now = at;
      const response = await graphql(standIn, ordersQuery);
      const body: { errors?: { extensions?: { code?: string } }[] } = await response.json();
      outcomes.push(`${response.status}:${body.errors?.[0]?.extensions?.code ?? "ok"}`);
    }

    // The throttle fault empties the bucket; a second of restore covers 7 points again.
    expect(outcomes).toEqual(["500:ok", "200:THROTTLED", "200:ok"]);
  });

  it("rejects a seed that does not parse, and forgets everything on reset", async () => {
    const standIn = createShopifyStandIn();

    const bad = await standIn.request("/_control/seed", {
      method: "POST",
      body: JSON.stringify({ shop: "stand-shop.myshopify.com", orders: [{ updatedAt: "soon" }] }),
    });
    await graphql(standIn, ordersQuery);
    await standIn.request("/_control/reset", { method: "POST" });

    expect(bad.status).toBe(400);
    expect(await (await standIn.request("/_control/calls")).json()).toEqual({ calls: [] });
  });

  it("answers variables of the wrong type with a GraphQL error", async () => {
    const standIn = createShopifyStandIn();

    const body = await (
      await graphql(standIn, { ...ordersQuery, variables: { first: "ten", query: "" } })
    ).json();

    expect(body).toMatchObject({ errors: [{ extensions: { code: "INVALID_VARIABLE" } }] });
  });
});
