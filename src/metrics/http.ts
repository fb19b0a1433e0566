import { createMiddleware } from "hono/factory";
import type { HubEnv } from "../http/context";
import { recordWebhook } from "./instrumentation";
import { flushMetricsIfDue } from "./record";

/**
 * Flushes buffered metrics once a response is ready (at most once a second per isolate), in
 * `waitUntil` so the caller never waits for D1. Outermost middleware: it runs after `onError`
 * has answered.
 */
export const flushMetricsAfterResponse = createMiddleware<HubEnv>(async (c, next) => {
  await next();
  const flush = flushMetricsIfDue(c.env);
  try {
    c.executionCtx.waitUntil(flush);
  } catch {
    // Hono throws when the app was called without an ExecutionContext: wait instead.
    await flush;
  }
});

/** Records each webhook's latency and outcome (`webhook.latency`). */
export const webhookMetrics = createMiddleware<HubEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  recordWebhook(c.env, {
    status: c.res.status,
    durationMs: Date.now() - started,
    shop: c.req.header("x-shopify-shop-domain"),
    topic: c.req.header("x-shopify-topic"),
  });
});
