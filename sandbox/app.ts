import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { controlRoutes } from "./connectors/control";
import { orderEventsRoutes } from "./connectors/order-events";
import { priceBookRoutes } from "./connectors/price-books";
import { problemResponse, SandboxProblem } from "./connectors/problem";
import {
  type ConnectorSystems,
  createConnectorSystems,
  type SandboxSecrets,
} from "./connectors/system";
import { createShopifyStandIn } from "./shopify/app";
import type { OauthStandInOptions } from "./shopify/oauth";

/**
 * The local sandbox: the ERP (`/erp`) and the OMS (`/oms`) on the other side of the
 * connector protocol, their control API (`/_control`), and the Shopify Admin stand-in
 * (`/shopify`). All state is in memory. Dev and tests only: nothing under src/ imports it.
 */
export function createSandbox(options: SandboxSecrets, shopify: OauthStandInOptions = {}): Hono {
  return createSandboxApp(createConnectorSystems(options), shopify);
}

/**
 * The sandbox around systems the caller keeps a hand on (test/support/sandbox.ts does).
 * `shopify.apiSecret` is the hub's SHOPIFY_API_SECRET, which the OAuth stand-in signs with.
 */
export function createSandboxApp(
  systems: ConnectorSystems,
  shopify: OauthStandInOptions = {},
): Hono {
  const app = new Hono();

  app.get("/", (c) => c.json({ service: "shopify-edge-hub-sandbox", routes: listRoutes(app) }));
  app.route("/erp", orderEventsRoutes(systems.erp));
  app.route("/erp", priceBookRoutes(systems.erp));
  app.route("/oms", orderEventsRoutes(systems.oms));
  app.route("/_control", controlRoutes(systems));
  app.route("/shopify", createShopifyStandIn(shopify));

  app.notFound((c) =>
    problemResponse(new SandboxProblem(404, "not_found", "No such route", c.req.path)),
  );
  app.onError((error) => {
    if (error instanceof SandboxProblem) return problemResponse(error);
    if (error instanceof HTTPException) {
      return problemResponse(new SandboxProblem(error.status, "http_error", error.message));
    }
    return problemResponse(
      new SandboxProblem(500, "internal_error", "Sandbox error", String(error)),
    );
  });

  return app;
}

/** "METHOD /path" for every route, middleware left out, read from the app itself. */
function listRoutes(app: Hono): string[] {
  const routes = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(routes)];
}
