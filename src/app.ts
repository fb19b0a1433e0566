import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./config/settings";
import { createConsole } from "./console/routes";
import { adminApi } from "./http/admin";
import { appProxyRoutes } from "./http/app-proxy/prices";
import { connectorAcks } from "./http/connectors/acks";
import { priceChangeRoutes } from "./http/connectors/price-changes";
import { type HubEnv, requestContext } from "./http/context";
import { functionRoutes } from "./http/functions/discount-prices";
import { inventoryApi } from "./http/inventory";
import { oauthRoutes } from "./http/oauth";
import { priceRoutes } from "./http/prices/resolve";
import { ProblemError, problemResponse } from "./http/problem";
import { rateLimit } from "./http/security/rate-limit";
import { shopifyWebhooks } from "./http/webhooks/shopify";
import { flushMetricsAfterResponse } from "./metrics/http";
import { createLogger, describeError } from "./observability/logger";

/** The hub's HTTP surface. docs/api.md documents every route. */
export function createApp() {
  const app = new Hono<HubEnv>();

  app.use(flushMetricsAfterResponse);
  app.use(requestContext);
  // Before the routes, so a refused request costs no verification or storage.
  app.use("/webhooks/shopify/*", rateLimit("RATE_LIMIT_WEBHOOKS", "webhooks"));
  app.use("/connectors/*", rateLimit("RATE_LIMIT_API", "connectors"));
  app.use("/v1/*", rateLimit("RATE_LIMIT_API", "v1"));
  app.use("/auth/*", rateLimit("RATE_LIMIT_API", "auth"));
  app.get("/health", (c) => c.json({ status: "ok", env: c.var.settings.HUB_ENV }));
  app.route("/webhooks/shopify", shopifyWebhooks);
  app.route("/admin/api", adminApi);
  app.route(
    "/admin",
    createConsole(async (request, env, ctx) => app.fetch(request, env, ctx)),
  );
  app.route("/connectors", connectorAcks);
  app.route("/auth", oauthRoutes);
  app.route("/v1/inventory", inventoryApi);
  app.route("/v1", priceRoutes);
  app.route("/v1", functionRoutes);
  app.route("/connectors", priceChangeRoutes);
  app.route("/apps", appProxyRoutes);

  app.notFound(() => problemResponse(new ProblemError(404, "not_found", "No such route")));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(error);
    if (error instanceof HTTPException) {
      return problemResponse(
        new ProblemError(error.status, "http_error", error.message || "Request failed"),
      );
    }

    const logger = c.get("logger") ?? createLogger("error");
    if (error instanceof ConfigError) {
      logger.error("hub misconfigured", { problems: error.problems.join("; ") });
      return problemResponse(
        new ProblemError(
          500,
          "misconfigured",
          "The hub is misconfigured",
          error.problems.join("; "),
        ),
      );
    }
    logger.error("unhandled error", describeError(error));
    return problemResponse(new ProblemError(500, "internal_error", "Internal error"));
  });

  return app;
}
