/**
 * The two ways a queue handler's work can fail. The consumer's retry-or-park choice reads
 * straight off the class: a retryable failure is retried with backoff, a permanent one is
 * parked as a dead letter at once. Anything else thrown is a bug and treated as retryable,
 * so it is retried a bounded number of times and then parked, never dropped.
 */
export class RetryableError extends Error {
  override readonly name = "RetryableError";

  constructor(
    readonly code: string,
    message: string,
    readonly options: {
      retryAfterSeconds?: number;
      cause?: unknown;
      /**
       * The message itself did not fail: it waits on something shared (an open circuit
       * breaker, another consumer holding the order). The consumer re-queues a fresh copy
       * after the delay instead of spending one of the message's attempts.
       */
      wait?: boolean;
    } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

export class PermanentError extends Error {
  override readonly name = "PermanentError";

  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}
