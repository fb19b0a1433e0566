import { createMiddleware } from "hono/factory";
import { loadSettings, type Settings } from "../config/settings";
import { type Database, openDatabase } from "../db/client";
import { createLogger, type Logger } from "../observability/logger";
import {
  formatTraceparent,
  nextTrace,
  parseTraceparent,
  type TraceContext,
} from "../observability/trace";

/** The Hono environment every route shares: bindings plus per-request variables. */
export interface HubEnv {
  Bindings: Cloudflare.Env;
  Variables: {
    settings: Settings;
    logger: Logger;
    trace: TraceContext;
    db: Database;
  };
}

/**
 * Parses settings (once per isolate), continues or starts the W3C trace, and hands every
 * route a logger that already carries the trace id. Echoes `traceparent` on the response
 * so a caller can quote it when asking about a request.
 */
export const requestContext = createMiddleware<HubEnv>(async (c, next) => {
  const settings = loadSettings(c.env);
  const trace = nextTrace(parseTraceparent(c.req.header("traceparent")));

  c.set("settings", settings);
  c.set("trace", trace);
  c.set("logger", createLogger(settings.LOG_LEVEL, { traceId: trace.traceId }));
  c.set("db", openDatabase(c.env.DB));

  await next();
  c.header("traceparent", formatTraceparent(trace));
});
