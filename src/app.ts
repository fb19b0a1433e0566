import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./config/settings";
import { adminApi } from "./http/admin";
import { connectorAcks } from "./http/connectors/acks";
import { type HubEnv, requestContext } from "./http/context";
import { ProblemError, problemResponse } from "./http/problem";
import { shopifyWebhooks } from "./http/webhooks/shopify";
import { createLogger, describeError } from "./observability/logger";

/** The hub's HTTP surface. docs/api.md documents every route. */
export function createApp() {
  const app = new Hono<HubEnv>();

  app.use(requestContext);
  app.get("/health", (c) => c.json({ status: "ok", env: c.var.settings.HUB_ENV }));
  app.route("/webhooks/shopify", shopifyWebhooks);
  app.route("/admin/api", adminApi);
  app.route("/connectors", connectorAcks);

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
