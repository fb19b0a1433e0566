import { Hono } from "hono";
import type { Fault, FaultMode } from "./faults";
import { readOrderEvent } from "./inbound";
import type { OrderEvent } from "./order-event";
import { jsonResponse, problemResponse, SandboxProblem } from "./problem";
import type { ConnectorSystem } from "./system";

type OrderEventsEnv = { Variables: { event?: OrderEvent; fault?: FaultMode } };

/**
 * `POST /v1/order-events` of one simulated system, answering as the connector protocol
 * describes: 201 `{ externalRef }` for a new idempotency key, 409 `{ externalRef, detail }`
 * for a repeated one, unless a queued fault decides otherwise. Faults apply only to calls
 * that pass the signature and body checks, in order of arrival. Every call is logged.
 */
export function orderEventsRoutes(system: ConnectorSystem): Hono<OrderEventsEnv> {
  const app = new Hono<OrderEventsEnv>();

  app.use("/v1/order-events", async (c, next) => {
    await next();
    system.ledger.recordCall({
      at: new Date().toISOString(),
      idempotencyKey: c.req.header("idempotency-key") ?? null,
      effect: c.var.event?.effect ?? null,
      shop: c.var.event?.shop ?? null,
      orderId: c.var.event?.orderId ?? null,
      traceparent: c.req.header("traceparent") ?? null,
      fault: c.var.fault ?? null,
      status: c.res.status,
    });
  });

  app.post("/v1/order-events", async (c) => {
    const event = readOrderEvent(system.webhook, await c.req.text(), c.req.raw.headers);
    c.set("event", event);

    const fault = system.faults.take();
    if (fault) c.set("fault", fault.mode);
    if (fault?.mode === "latency") await scheduler.wait(fault.ms);

    const refused = fault && refusal(fault);
    if (refused) return refused;

    const known = system.ledger.repeat(event.idempotencyKey);
    if (known) {
      return jsonResponse(409, { externalRef: known.externalRef, detail: "already received" });
    }

    const order = system.ledger.commit(event, fault?.mode === "pending" ? "pending" : "accepted");
    return answerCommitted(order.externalRef, fault);
  });

  return app;
}

/** The answer of a fault that stops the call before anything is stored. */
function refusal(fault: Fault): Response | undefined {
  switch (fault.mode) {
    case "down":
      return problemResponse(
        new SandboxProblem(503, "unavailable", "System unavailable", "injected: down", {
          "retry-after": String(fault.retryAfterSeconds),
        }),
      );
    case "fail":
      return problemResponse(
        new SandboxProblem(
          fault.status,
          "injected_failure",
          "Injected failure",
          `injected: fail with ${fault.status}`,
          fault.retryAfterSeconds === undefined
            ? {}
            : { "retry-after": String(fault.retryAfterSeconds) },
        ),
      );
    case "reject":
      return problemResponse(
        new SandboxProblem(fault.status, "rejected", "Order event rejected", fault.reason),
      );
    case "latency":
    case "drop-after-commit":
    case "pending":
      return undefined;
  }
}

/** The answer once the event is stored, as the fault (if any) shapes it. */
function answerCommitted(externalRef: string, fault: Fault | undefined): Response {
  // A Worker cannot cut the TCP connection after committing; a 504 is what the hub would
  // see from a gateway that lost the system's answer, and it is just as retryable.
  if (fault?.mode === "drop-after-commit") {
    return problemResponse(
      new SandboxProblem(
        504,
        "response_lost",
        "Response lost",
        "injected: drop-after-commit (the event was stored)",
      ),
    );
  }
  if (fault?.mode === "pending") return jsonResponse(202, { status: "pending" });
  return jsonResponse(201, { externalRef });
}
