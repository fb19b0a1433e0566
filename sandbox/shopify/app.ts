import { Hono } from "hono";
import { z } from "zod";
import { InventorySeedSchema, InventoryStandIn } from "./inventory";
import { inventoryOperations } from "./inventory-operations";
import type { StandInLimit } from "./limit";
import { OauthGrants, type OauthStandInOptions, oauthStandIn } from "./oauth";
import { OPERATIONS } from "./operations";
import { priceListOperations } from "./price-list-operations";
import { PriceListSeedSchema, PriceListStandIn } from "./price-lists";
import { InvalidArgument } from "./search";
import { FaultsSchema, SeedSchema, StandInState } from "./state";

export type { RecordedCall, Seed, StoredOrder } from "./state";

/**
 * A stand-in for the Shopify Admin GraphQL API, for local runs and tests only (nothing in
 * src/ may import it). It answers the hub's named operations from in-memory state, enforces
 * a cost limit and reports `extensions.cost` like Shopify, records every call, and can be
 * told to throttle or fail. It also plays the OAuth install (./oauth.ts), signing with
 * `apiSecret`. Mount it at `/shopify` and point SHOPIFY_ADMIN_URL at
 * `{origin}/shopify/{shop}`. docs/shopify-admin.md describes the control API.
 */
export function createShopifyStandIn(
  options: Partial<StandInLimit> & OauthStandInOptions = {},
): Hono {
  const state = new StandInState(
    {
      maximumAvailable: options.maximumAvailable ?? 2000,
      restoreRate: options.restoreRate ?? 100,
    },
    options.now ?? Date.now,
  );
  const inventory = new InventoryStandIn();
  const catalogue = new PriceListStandIn();
  const operations = {
    ...OPERATIONS,
    ...inventoryOperations(inventory),
    ...priceListOperations(catalogue),
  };
  const grants = new OauthGrants();
  const app = new Hono();

  app.route("/", oauthStandIn(grants, options));

  app.post("/:shop/admin/api/:version/graphql.json", async (c) => {
    const shop = c.req.param("shop");
    if (!c.req.header("x-shopify-access-token")) {
      return c.json(
        { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" },
        401,
      );
    }

    const body = RequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success)
      return c.json({ errors: { query: "Required parameter missing or invalid" } }, 400);
    const operationName = body.data.operationName ?? operationNameOf(body.data.query) ?? "";
    state.calls.push({
      shop,
      operationName,
      variables: body.data.variables ?? {},
      at: state.now(),
    });

    const fault = state.takeFault();
    if (fault === "serverError") return c.json({ errors: "Internal Server Error" }, 500);

    const limit = state.shop(shop).limit;
    if (fault === "throttle") limit.drain();

    const operation = operations[operationName];
    if (!operation) {
      return c.json(
        graphqlError(
          `Stand-in does not implement operation '${operationName}'`,
          "undefinedOperation",
        ),
      );
    }
    const prepared = operation.prepare(state, shop, body.data.variables);
    if (!prepared.ok) return c.json(graphqlError(prepared.message, "INVALID_VARIABLE"));

    if (!limit.allows(prepared.requestedCost)) {
      return c.json({
        errors: [
          {
            message: "Throttled",
            extensions: {
              code: "THROTTLED",
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost: prepared.requestedCost,
            actualQueryCost: null,
            throttleStatus: limit.status(),
          },
        },
      });
    }

    try {
      const { data, actualCost } = prepared.execute();
      limit.charge(actualCost);
      return c.json({
        data,
        extensions: {
          cost: {
            requestedQueryCost: prepared.requestedCost,
            actualQueryCost: actualCost,
            throttleStatus: limit.status(),
          },
        },
      });
    } catch (error) {
      if (error instanceof InvalidArgument)
        return c.json(graphqlError(error.message, "argumentLiteralsIncompatible"));
      throw error;
    }
  });

  app.get("/_control/calls", (c) => c.json({ calls: state.calls }));

  app.get("/_control/orders/:shop", (c) => {
    const orders = [...state.shop(c.req.param("shop")).orders.values()];
    return c.json({ orders });
  });

  app.post("/_control/seed", async (c) => {
    const seed = SeedSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!seed.success) return c.json({ error: z.prettifyError(seed.error) }, 400);
    state.seed(seed.data);
    return c.json({
      seeded: { orders: seed.data.orders.length, payouts: seed.data.payouts?.length ?? 0 },
    });
  });

  app.post("/_control/faults", async (c) => {
    const faults = FaultsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!faults.success) return c.json({ error: z.prettifyError(faults.error) }, 400);
    state.faults = faults.data;
    return c.json({ faults: state.faults });
  });

  app.post("/_control/inventory/seed", async (c) => {
    const seed = InventorySeedSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!seed.success) return c.json({ error: z.prettifyError(seed.error) }, 400);
    inventory.seed(seed.data);
    return c.json({
      seeded: { locations: seed.data.locations.length, items: seed.data.items.length },
    });
  });

  app.get("/_control/inventory/:shop", (c) =>
    c.json({ levels: inventory.snapshot(c.req.param("shop")) }),
  );

  app.post("/_control/price-lists/seed", async (c) => {
    const seed = PriceListSeedSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!seed.success) return c.json({ error: z.prettifyError(seed.error) }, 400);
    catalogue.seed(seed.data);
    return c.json({
      seeded: { variants: seed.data.variants.length, priceLists: seed.data.priceLists.length },
    });
  });

  app.get("/_control/price-lists/:shop", (c) =>
    c.json({ priceLists: catalogue.snapshot(c.req.param("shop")) }),
  );

  app.get("/_control/oauth/tokens", (c) => c.json({ tokens: grants.tokens }));

  app.post("/_control/reset", (c) => {
    state.reset();
    grants.reset();
    inventory.reset();
    catalogue.reset();
    return c.json({ reset: true });
  });

  return app;
}

const RequestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

function operationNameOf(query: string): string | undefined {
  return query.match(/\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/)?.[1];
}

function graphqlError(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
