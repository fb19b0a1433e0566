import type { Webhook } from "standardwebhooks";
import { z } from "zod";
import { type OrderEvent, OrderEventSchema } from "./order-event";
import { SandboxProblem } from "./problem";

/**
 * Checks a call the way a careful connector would before doing anything with it: a valid
 * Standard Webhooks signature over the raw body, an `idempotency-key` header, a body that
 * parses as an order event and carries the same key. Throws a {@link SandboxProblem}:
 * `invalid_signature` (401), `missing_idempotency_key`, `invalid_body` or
 * `idempotency_key_mismatch` (400).
 */
export function readOrderEvent(webhook: Webhook, rawBody: string, headers: Headers): OrderEvent {
  try {
    // jsonParse off: a body that is not JSON is a 400, not a signature failure.
    webhook.verify(rawBody, Object.fromEntries(headers), { jsonParse: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message : "signature check failed";
    throw new SandboxProblem(401, "invalid_signature", "Signature verification failed", detail);
  }

  const headerKey = headers.get("idempotency-key");
  if (!headerKey) {
    throw new SandboxProblem(
      400,
      "missing_idempotency_key",
      "Idempotency-Key header required",
      "every order event carries the idempotency-key header",
    );
  }

  const event = OrderEventSchema.safeParse(parseJson(rawBody));
  if (!event.success) {
    throw new SandboxProblem(
      400,
      "invalid_body",
      "Invalid order event",
      z.prettifyError(event.error),
    );
  }

  if (event.data.idempotencyKey !== headerKey) {
    throw new SandboxProblem(
      400,
      "idempotency_key_mismatch",
      "Idempotency keys differ",
      "the idempotency-key header and the body's idempotencyKey must be equal",
    );
  }
  return event.data;
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch (error) {
    throw new SandboxProblem(400, "invalid_body", "Body is not JSON", String(error));
  }
}
