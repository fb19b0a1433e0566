import { describe, expect, it } from "vitest";
import {
  effectOfTopic,
  idempotencyKey,
  ORDER_EFFECTS,
  orderRoutes,
} from "../../src/orders/routing";

describe("effectOfTopic", () => {
  it.each([
    ["orders/create", "create"],
    ["orders/updated", "update"],
    ["orders/cancelled", "cancel"],
    ["orders/paid", "payment"],
    ["refunds/create", "refund"],
  ])("maps %s to %s", (topic, effect) => {
    expect(effectOfTopic(topic)).toBe(effect);
  });

  it.each([
    "orders/edited",
    "orders/fulfilled",
    "fulfillments/create",
    "fulfillments/update",
    "products/update",
    "ORDERS/CREATE",
    "",
    "toString",
    "__proto__",
  ])("ignores %j", (topic) => {
    expect(effectOfTopic(topic)).toBeUndefined();
  });
});

describe("orderRoutes", () => {
  it("sends a storefront-centric shop's orders and financials to the ERP, fulfilment work to the OMS", () => {
    expect(orderRoutes("storefront-centric")).toEqual([
      { connector: "erp", effects: ["create", "update", "cancel", "payment", "refund"] },
      { connector: "oms", effects: ["create", "update", "cancel"] },
    ]);
  });

  it("sends an OMS-led shop's orders to the OMS first and the financials to the ERP after it", () => {
    expect(orderRoutes("oms-led")).toEqual([
      { connector: "oms", effects: ["create", "update", "cancel", "refund"] },
      { connector: "erp", effects: ["create", "cancel", "payment", "refund"], after: "oms" },
    ]);
  });

  it("runs a composable shop as OMS-led plus every event to the CDP", () => {
    const routes = orderRoutes("composable");

    expect(routes.slice(0, 2)).toEqual(orderRoutes("oms-led"));
    expect(routes[2]).toEqual({ connector: "cdp", effects: [...ORDER_EFFECTS] });
  });

  it.each(["storefront-centric", "oms-led", "composable"] as const)(
    "in %s, routes every prerequisite before its dependant",
    (architecture) => {
      const routes = orderRoutes(architecture);
      const position = new Map(routes.map((route, index) => [route.connector, index]));

      for (const [index, route] of routes.entries()) {
        if (route.after) expect(position.get(route.after)).toBeLessThan(index);
      }
    },
  );

  it.each(["storefront-centric", "oms-led", "composable"] as const)(
    "in %s, sends every connector the create and the cancellation",
    (architecture) => {
      for (const route of orderRoutes(architecture)) {
        expect(route.effects).toContain("create");
        expect(route.effects).toContain("cancel");
      }
    },
  );

  it("gives each call its own routes, so a caller's change cannot leak into the next", () => {
    const first = orderRoutes("oms-led");
    first.push({ connector: "cdp", effects: [] });

    expect(orderRoutes("oms-led")).toHaveLength(2);
    expect(orderRoutes("composable")).toHaveLength(3);
  });
});

describe("idempotencyKey", () => {
  it("joins shop, order, revision and effect", () => {
    expect(idempotencyKey("dev-shop.myshopify.com", "6401928374650", "0", "create")).toBe(
      "dev-shop.myshopify.com:6401928374650:0:create",
    );
  });

  it("keys an update by the order's updated_at in epoch ms", () => {
    const revision = String(Date.parse("2026-12-01T10:20:41-05:00"));
    expect(idempotencyKey("dev-shop.myshopify.com", "6401928374650", revision, "update")).toBe(
      "dev-shop.myshopify.com:6401928374650:1796138441000:update",
    );
  });

  it("keys a refund by its refund id", () => {
    expect(
      idempotencyKey("dev-shop.myshopify.com", "6401930111202", "1050000002001", "refund"),
    ).toBe("dev-shop.myshopify.com:6401930111202:1050000002001:refund");
  });

  it("is the same on every call and differs per effect, revision, order and shop", () => {
    const key = idempotencyKey("a.myshopify.com", "1", "0", "cancel");

    expect(idempotencyKey("a.myshopify.com", "1", "0", "cancel")).toBe(key);
    expect(
      new Set([
        key,
        idempotencyKey("a.myshopify.com", "1", "0", "payment"),
        idempotencyKey("a.myshopify.com", "1", "1", "cancel"),
        idempotencyKey("a.myshopify.com", "2", "0", "cancel"),
        idempotencyKey("b.myshopify.com", "1", "0", "cancel"),
      ]).size,
    ).toBe(5);
  });
});
