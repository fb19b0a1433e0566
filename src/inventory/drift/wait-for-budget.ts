import { RetryableError } from "../../queues/errors";

/** The longest one wait for Shopify points may be before the check gives up. */
const MAX_WAIT_MS = 60_000;
/** Waits per call; a shop that stays throttled longer fails the run, to retry tomorrow. */
const MAX_WAITS = 5;

/**
 * Runs one Admin API call for a long-running job (the sanity check, a resync), waiting
 * out `shopify_budget_exhausted` and Shopify's throttling when they say how long: the
 * queue would delay a message, a job in progress sleeps instead.
 * @throws the last error when it is not a timed wait, waits too long or too often.
 */
export async function waitingForBudget<T>(call: () => Promise<T>): Promise<T> {
  for (let waits = 0; ; waits += 1) {
    try {
      return await call();
    } catch (error) {
      const waitMs = timedWait(error);
      if (waitMs === undefined || waitMs > MAX_WAIT_MS || waits >= MAX_WAITS) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

function timedWait(error: unknown): number | undefined {
  if (!(error instanceof RetryableError)) return undefined;
  const seconds = error.options.retryAfterSeconds;
  return seconds === undefined ? undefined : seconds * 1000;
}
