import { z } from "zod";
import type { Settings } from "../config/settings";
import type { CircuitBreaker } from "../durable-objects/circuit-breaker";
import { recordConnectorCall } from "../metrics/instrumentation";
import { describeError, type Logger } from "../observability/logger";
import type { TraceContext } from "../observability/trace";
import { PermanentError, RetryableError } from "../queues/errors";

/** Every system the hub calls through a connector; each has its own circuit breaker. */
export const ConnectorNameSchema = z.enum(["erp", "oms", "pim", "dam", "cdp"]);
export type ConnectorName = z.infer<typeof ConnectorNameSchema>;

const URL_SETTING = {
  erp: "ERP_URL",
  oms: "OMS_URL",
  pim: "PIM_URL",
  dam: "DAM_URL",
  cdp: "CDP_URL",
} as const satisfies Record<ConnectorName, keyof Settings>;

/** True when the connector's base URL is set, i.e. the hub will call it. */
export function isConfigured(settings: Settings, connector: ConnectorName): boolean {
  return settings[URL_SETTING[connector]] !== undefined;
}

/** The shared breaker of one connector. */
export function breakerFor(
  env: Cloudflare.Env,
  connector: ConnectorName,
): DurableObjectStub<CircuitBreaker> {
  return env.CIRCUIT_BREAKERS.getByName(connector);
}

/** What {@link withBreaker} needs from its caller; a queue `HandlerContext` fits. */
export interface BreakerCaller {
  env: Cloudflare.Env;
  logger: Logger;
  /** The caller's trace; the breaker names its id in a transition the call causes. */
  trace?: TraceContext | undefined;
}

/**
 * Runs one connector call under the connector's circuit breaker.
 *
 * - Breaker open (or its half-open probes all taken): `call` is not run and a
 *   `RetryableError("circuit_open")` carrying `retryAfterSeconds` is thrown, so the queue
 *   delays the message instead of parking it.
 * - Otherwise `call` runs and its outcome is recorded: a `PermanentError` or a result
 *   counts as healthy (the connector answered; a rejected order is the order's problem),
 *   anything else thrown counts as a failure (it is retried, like the queue retries it).
 *   The result is returned and the error rethrown unchanged.
 *
 * @throws {RetryableError} `breaker_unavailable` when the breaker itself cannot be reached.
 */
export async function withBreaker<T>(
  caller: BreakerCaller,
  connector: ConnectorName,
  call: () => Promise<T>,
): Promise<T> {
  const breaker = breakerFor(caller.env, connector);
  const decision = await acquire(breaker, connector);
  if (!decision.allowed) {
    recordConnectorCall(caller.env, { connector, outcome: "short_circuited", durationMs: 0 });
    throw new RetryableError(
      "circuit_open",
      `The ${connector} circuit breaker is ${decision.state}; retry in ${decision.retryAfterSeconds} s`,
      { retryAfterSeconds: decision.retryAfterSeconds, wait: true },
    );
  }

  const permitId = decision.probe ? decision.permitId : undefined;
  const started = Date.now();
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const ok = error instanceof PermanentError;
    const durationMs = Date.now() - started;
    recordConnectorCall(caller.env, {
      connector,
      outcome: ok ? "rejected" : "failed",
      durationMs,
      error,
    });
    await report(caller, connector, breaker, {
      permitId,
      ok,
      durationMs,
      ...(ok ? {} : { error: failureCode(error) }),
    });
    throw error;
  }

  const durationMs = Date.now() - started;
  recordConnectorCall(caller.env, { connector, outcome: "ok", durationMs });
  await report(caller, connector, breaker, { permitId, ok: true, durationMs });
  return result;
}

async function acquire(breaker: DurableObjectStub<CircuitBreaker>, connector: ConnectorName) {
  try {
    return await breaker.acquire();
  } catch (error) {
    throw new RetryableError(
      "breaker_unavailable",
      `The ${connector} circuit breaker could not be reached`,
      { cause: error },
    );
  }
}

/**
 * Records an outcome. A failure to record is logged, not thrown: the connector call has
 * already happened, so retrying the message would repeat it for nothing, and a probe
 * permit that never comes back expires on its own.
 */
async function report(
  caller: BreakerCaller,
  connector: ConnectorName,
  breaker: DurableObjectStub<CircuitBreaker>,
  outcome: { permitId: string | undefined; ok: boolean; durationMs: number; error?: string },
): Promise<void> {
  try {
    const traceId = caller.trace?.traceId;
    await breaker.record(traceId ? { ...outcome, traceId } : outcome);
  } catch (error) {
    caller.logger.warn("circuit breaker outcome not recorded", {
      connector,
      ok: outcome.ok,
      ...describeError(error),
    });
  }
}

function failureCode(error: unknown): string {
  if (error instanceof RetryableError) return error.code;
  if (error instanceof Error) return error.name;
  return typeof error;
}
