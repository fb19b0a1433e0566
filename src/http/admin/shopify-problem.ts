import { PermanentError, RetryableError } from "../../queues/errors";
import { ProblemError } from "../problem";

/** How a route words the 503 for a Shopify call that may succeed when repeated. */
export interface RetryWording {
  /** The problem's title. */
  title: string;
  /** The problem's reason for a RetryableError's code; `shopify_unavailable` when absent. */
  reason?: (code: string) => string;
}

const DEFAULT_RETRY: RetryWording = {
  title: "Shopify could not be reached or throttled the hub",
};

// Shopify seldom says when to come back after a failed call; half a minute is a polite wait.
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * Maps a failure of an admin route's Shopify work to problem+json: no Admin API token → 409
 * `no_admin_token`; RetryableError → 503 (`shopify_unavailable` unless `retry.reason` says
 * otherwise) with Retry-After; any other PermanentError → 502 `shopify_failed`. Anything
 * else is returned unchanged for the app's error handler.
 */
export function shopifyProblem(error: unknown, retry: RetryWording = DEFAULT_RETRY): unknown {
  if (error instanceof PermanentError && error.code === "missing_admin_token") {
    return new ProblemError(
      409,
      "no_admin_token",
      "The hub has no Admin API token for this shop",
      error.message,
    );
  }
  if (error instanceof RetryableError) {
    const wait = Math.ceil(error.options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
    return new ProblemError(
      503,
      retry.reason?.(error.code) ?? "shopify_unavailable",
      retry.title,
      error.message,
      { code: error.code },
      { "retry-after": String(wait) },
    );
  }
  if (error instanceof PermanentError) {
    return new ProblemError(502, "shopify_failed", "Shopify refused the request", error.message, {
      code: error.code,
    });
  }
  return error;
}
