import { PermanentError, RetryableError } from "./errors";

export interface RetryPolicy {
  /** Deliveries after which a still-failing message is parked as a dead letter. */
  maxAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
}

export type RetryDecision =
  | { action: "retry"; delaySeconds: number; code: string; message: string }
  | { action: "dead-letter"; errorClass: DeadLetterClass; code: string; message: string };

/** Why a message was parked; the dead-letter console filters on it. */
export type DeadLetterClass =
  | "permanent"
  | "retries_exhausted"
  | "invalid_message"
  | "platform_dead_letter";

/**
 * Exponential backoff with full jitter (a uniform delay between 0 and
 * min(max, base × 2^(attempt−1))), never sooner than a `Retry-After` the failing system
 * asked for, capped at `maxSeconds`. `attempts` is the delivery count Queues reports (1 on
 * the first delivery).
 */
export function decideRetry(
  error: unknown,
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const { code, message } = describeFailure(error);

  if (error instanceof PermanentError) {
    return { action: "dead-letter", errorClass: "permanent", code, message };
  }
  if (attempts >= policy.maxAttempts) {
    return { action: "dead-letter", errorClass: "retries_exhausted", code, message };
  }

  const ceiling = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.max(0, attempts - 1));
  const jittered = random() * ceiling;
  const retryAfter = error instanceof RetryableError ? (error.options.retryAfterSeconds ?? 0) : 0;
  const delaySeconds = Math.min(policy.maxSeconds, Math.ceil(Math.max(jittered, retryAfter)));

  return { action: "retry", delaySeconds, code, message };
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof RetryableError || error instanceof PermanentError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error)
    return { code: "unexpected_error", message: `${error.name}: ${error.message}` };
  return { code: "unexpected_error", message: String(error) };
}

/**
 * Reads an HTTP `Retry-After` (delta-seconds or an HTTP date) as whole seconds from `now`.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
