import { describe, expect, it } from "vitest";
import { PermanentError, RetryableError } from "../../src/queues/errors";
import { decideRetry, parseRetryAfter } from "../../src/queues/retry-policy";

const policy = { maxAttempts: 5, baseSeconds: 2, maxSeconds: 60 };

describe("decideRetry", () => {
  it.each([
    [1, 1, 2],
    [2, 1, 4],
    [3, 1, 8],
    [4, 0.5, 8],
    [4, 0, 0],
  ])(
    "on attempt %i with jitter %f waits %i s (full jitter over base × 2^(n−1))",
    (attempts, random, expected) => {
      const decision = decideRetry(
        new RetryableError("timeout", "timed out"),
        attempts,
        policy,
        () => random,
      );
      expect(decision).toMatchObject({ action: "retry", delaySeconds: expected, code: "timeout" });
    },
  );

  it("caps the delay at maxSeconds", () => {
    const decision = decideRetry(new Error("boom"), 4, { ...policy, maxSeconds: 5 }, () => 1);
    expect(decision).toMatchObject({ action: "retry", delaySeconds: 5 });
  });

  it("waits at least as long as Retry-After asked", () => {
    const error = new RetryableError("rate_limited", "429", { retryAfterSeconds: 30 });
    expect(decideRetry(error, 1, policy, () => 0)).toMatchObject({
      action: "retry",
      delaySeconds: 30,
    });
  });

  it("parks a permanent failure at once", () => {
    const decision = decideRetry(new PermanentError("invalid_order", "missing sku"), 1, policy);
    expect(decision).toEqual({
      action: "dead-letter",
      errorClass: "permanent",
      code: "invalid_order",
      message: "missing sku",
    });
  });

  it("parks after the last attempt", () => {
    const decision = decideRetry(new RetryableError("http_503", "down"), 5, policy);
    expect(decision).toMatchObject({
      action: "dead-letter",
      errorClass: "retries_exhausted",
      code: "http_503",
    });
  });

  it("treats an unexpected exception as retryable", () => {
    const decision = decideRetry(new TypeError("x is undefined"), 1, policy, () => 1);
    expect(decision).toMatchObject({
      action: "retry",
      code: "unexpected_error",
      message: "TypeError: x is undefined",
    });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");

  it.each([
    [null, undefined],
    ["120", 120],
    [" 5 ", 5],
    ["Tue, 01 Dec 2026 10:00:30 GMT", 30],
    ["Tue, 01 Dec 2026 09:00:00 GMT", 0],
    ["soon", undefined],
  ])("reads %s as %s seconds", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
