import type { Hono } from "hono";
import { vi } from "vitest";
import { createSandboxApp } from "../../sandbox/app";
import {
  type FaultRequest,
  FaultRequestSchema,
  type QueuedFault,
} from "../../sandbox/connectors/faults";
import type { CallRecord, StoredOrder } from "../../sandbox/connectors/ledger";
import type { Target } from "../../sandbox/connectors/order-event";
import { createConnectorSystems, resetConnectorSystems } from "../../sandbox/connectors/system";

/** Test-only Standard Webhooks secrets; vitest.config.ts gives the hub the same values. */
export const TEST_ERP_SIGNING_SECRET = "whsec_dGVzdC1lcnAtc2lnbmluZy1zZWNyZXQtMDEyMzQ1Njc4OQ==";
export const TEST_OMS_SIGNING_SECRET = "whsec_dGVzdC1vbXMtc2lnbmluZy1zZWNyZXQtMDEyMzQ1Njc4OQ==";

/** Requests under this origin go to the sandbox; ERP_URL is `${SANDBOX_ORIGIN}/erp`. */
export const SANDBOX_ORIGIN = "http://sandbox.test";

/** A sandbox answering the isolate's `fetch` calls, and the levers a test pulls on it. */
export interface SandboxHandle {
  /** Queues faults, in order, exactly as `POST /_control/faults` would. */
  faults(...faults: FaultRequest[]): void;
  /** The faults still queued for one system. */
  queuedFaults(target: Target): QueuedFault[];
  clearFaults(): void;
  orders(target: Target): StoredOrder[];
  calls(target: Target): CallRecord[];
  /** Forgets orders, calls and faults of both systems. */
  reset(): void;
  /** Puts the original `fetch` back. */
  restore(): void;
}

/**
 * Routes every `fetch` to `http://sandbox.test/...` made in this isolate (the hub's
 * queue consumers included: tests share their isolate) to an in-memory sandbox; other
 * URLs reach the real `fetch`. Call `restore()` in `afterEach`.
 */
export function installSandbox(): SandboxHandle {
  const systems = createConnectorSystems({
    erpSecret: TEST_ERP_SIGNING_SECRET,
    omsSecret: TEST_OMS_SIGNING_SECRET,
  });
  const app = createSandboxApp(systems);
  const realFetch = globalThis.fetch;

  const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    if (!urlOf(input).startsWith(`${SANDBOX_ORIGIN}/`)) return realFetch(input, init);
    return answerFrom(app, new Request(input, init));
  });

  return {
    faults(...faults) {
      for (const request of faults) {
        const { target, ...fault } = FaultRequestSchema.parse(request);
        systems[target].faults.add(fault);
      }
    },
    queuedFaults: (target) => systems[target].faults.list(),
    clearFaults() {
      systems.erp.faults.clear();
      systems.oms.faults.clear();
    },
    orders: (target) => systems[target].ledger.orders(),
    calls: (target) => systems[target].ledger.calls(),
    reset: () => resetConnectorSystems(systems),
    restore: () => spy.mockRestore(),
  };
}

/**
 * The sandbox's answer, rejecting as the real `fetch` does when the request's signal
 * aborts first (the hub's connector timeout against an injected latency, say). The
 * sandbox goes on handling the request, as a slow system would.
 */
function answerFrom(app: Hono, request: Request): Promise<Response> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);

  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(app.fetch(request))
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

// A Request passed to fetch must not be read here: its body is for the real call.
function urlOf(input: RequestInfo | URL): string {
  if (input instanceof Request) return input.url;
  if (input instanceof URL) return input.href;
  return input;
}
