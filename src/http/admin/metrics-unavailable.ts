import { RetryableError } from "../../queues/errors";
import { ProblemError } from "../problem";

/**
 * Turns a metrics store failure into `503 metrics_unavailable` (with `Retry-After` when
 * the store gave one); anything else is rethrown for the app's error handler.
 */
export function unavailable(error: unknown): never {
  if (!(error instanceof RetryableError)) throw error;
  const retryAfter = error.options.retryAfterSeconds ?? 30;
  throw new ProblemError(
    503,
    "metrics_unavailable",
    "Metrics cannot be read right now",
    error.message,
    { code: error.code },
    { "retry-after": String(retryAfter) },
  );
}
