import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { breakerFor, withBreaker } from "../../src/connectors/breaker";
import { createLogger } from "../../src/observability/logger";
import { PermanentError, RetryableError } from "../../src/queues/errors";

// Durable Objects of the main Worker run in the test isolate, so the faked Date is the
// breaker's clock too (test/durable-objects/circuit-breaker.integration.test.ts checks it).
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const caller = { env, logger: createLogger("error") };
const erp = breakerFor(env, "erp");

const unhealthy = () => Promise.reject(new RetryableError("connector_503", "erp answered 503"));

async function tripErp() {
  for (let index = 0; index < 5; index += 1) {
    await expect(withBreaker(caller, "erp", unhealthy)).rejects.toThrow("erp answered 503");
  }
  expect((await erp.snapshot()).state).toBe("open");
}

async function circuitOpen(promise: Promise<unknown>): Promise<RetryableError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof RetryableError)) throw new Error("expected a RetryableError");
  return error;
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await erp.reset("test");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("withBreaker", () => {
  it("returns the call's result and counts it as healthy", async () => {
    const result = await withBreaker(caller, "erp", async () => ({ externalRef: "SO-1001" }));

    expect(result).toEqual({ externalRef: "SO-1001" });
    expect((await erp.snapshot()).window).toMatchObject({ calls: 1, failures: 0 });
  });

  it("rethrows a RetryableError and counts it as a failure", async () => {
    const failure = new RetryableError("connector_503", "erp answered 503");

    await expect(withBreaker(caller, "erp", () => Promise.reject(failure))).rejects.toBe(failure);

    const snapshot = await erp.snapshot();
    expect(snapshot.window).toMatchObject({ calls: 1, failures: 1 });
    expect(snapshot.lastFailure?.error).toBe("connector_503");
  });

  it("rethrows a PermanentError and counts it as healthy", async () => {
    const rejection = new PermanentError("connector_rejected", "erp rejected the event (422)");

    await expect(withBreaker(caller, "erp", () => Promise.reject(rejection))).rejects.toBe(
      rejection,
    );

    expect((await erp.snapshot()).window).toMatchObject({ calls: 1, failures: 0 });
  });

  it("counts an unexpected error as a failure", async () => {
    await expect(
      withBreaker(caller, "erp", () => Promise.reject(new TypeError("fetch failed"))),
    ).rejects.toThrow("fetch failed");

    const snapshot = await erp.snapshot();
    expect(snapshot.window).toMatchObject({ calls: 1, failures: 1 });
    expect(snapshot.lastFailure?.error).toBe("TypeError");
  });

  it("throws circuit_open with the remaining open time and never calls while open", async () => {
    await tripErp();
    vi.setSystemTime(T0 + 12_000);
    const call = vi.fn(async () => "sent");

    const error = await circuitOpen(withBreaker(caller, "erp", call));

    expect(error.code).toBe("circuit_open");
    expect(error.options.retryAfterSeconds).toBe(18);
    expect(call).not.toHaveBeenCalled();
  });

  it("closes the breaker when the half-open probe succeeds", async () => {
    await tripErp();
    vi.setSystemTime(T0 + 30_000);

    await withBreaker(caller, "erp", async () => "sent");

    expect((await erp.snapshot()).state).toBe("closed");
  });

  it("reopens the breaker when the half-open probe fails", async () => {
    await tripErp();
    vi.setSystemTime(T0 + 30_000);

    await expect(withBreaker(caller, "erp", unhealthy)).rejects.toThrow("erp answered 503");

    const snapshot = await erp.snapshot();
    expect(snapshot.state).toBe("open");
    expect(snapshot.transitions[0]?.reason).toBe("probe failed; last error: connector_503");
  });

  it("holds other callers back while the probe is in flight", async () => {
    await tripErp();
    vi.setSystemTime(T0 + 30_000);
    let finishProbe: (value: string) => void = () => {};
    const probeStarted = Promise.withResolvers<void>();
    const probe = withBreaker(caller, "erp", () => {
      probeStarted.resolve();
      return new Promise<string>((resolve) => {
        finishProbe = resolve;
      });
    });
    await probeStarted.promise;

    const second = vi.fn(async () => "sent");
    const error = await circuitOpen(withBreaker(caller, "erp", second));
    expect(error.code).toBe("circuit_open");
    expect(error.message).toContain("half_open");
    expect(second).not.toHaveBeenCalled();

    finishProbe("sent");
    await expect(probe).resolves.toBe("sent");
    expect((await erp.snapshot()).state).toBe("closed");
  });
});
