import { createMiddleware } from "hono/factory";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";

/** The Workers rate-limit bindings wrangler.toml declares (`[[ratelimits]]`). */
export type RateLimitBinding = "RATE_LIMIT_WEBHOOKS" | "RATE_LIMIT_API" | "RATE_LIMIT_LOGIN";

/**
 * Each binding's `simple.period` in wrangler.toml, in seconds: the longest a refused
 * caller waits for a fresh window, so it is the `Retry-After` we send. Cloudflare accepts
 * only 10 or 60.
 */
export const RATE_LIMIT_PERIOD_SECONDS: Record<RateLimitBinding, 10 | 60> = {
  RATE_LIMIT_WEBHOOKS: 10,
  RATE_LIMIT_API: 10,
  RATE_LIMIT_LOGIN: 60,
};

/**
 * Counts the request against `binding`, keyed by the client's IP (`CF-Connecting-IP`,
 * which Cloudflare sets and a client cannot forge in production), and answers
 * 429 `rate_limited` with `Retry-After` when the key is over its limit. Counts are per
 * Cloudflare location and approximate (docs/security.md).
 *
 * A limiter that fails open: when the binding itself errors, the request goes on and the
 * failure is logged, so an outage of the limiter never takes ingestion down with it.
 */
export function rateLimit(binding: RateLimitBinding, scope: string) {
  return createMiddleware<HubEnv>(async (c, next) => {
    const client = c.req.header("cf-connecting-ip") ?? "unknown";
    const allowed = await check(c.env[binding], `${scope}:${client}`).catch((error: unknown) => {
      c.var.logger.error("rate limiter failed; request let through", {
        limiter: binding,
        errorMessage: error instanceof Error ? error.message : String(error),
      });
      return true;
    });

    if (!allowed) {
      const retryAfter = RATE_LIMIT_PERIOD_SECONDS[binding];
      c.var.logger.warn("rate limited", { limiter: binding, scope });
      throw new ProblemError(
        429,
        "rate_limited",
        "Too many requests",
        `Slow down and retry after ${retryAfter} seconds.`,
        { retryAfterSeconds: retryAfter },
        { "retry-after": String(retryAfter) },
      );
    }
    await next();
  });
}

async function check(limiter: RateLimit, key: string): Promise<boolean> {
  const { success } = await limiter.limit({ key });
  return success;
}
