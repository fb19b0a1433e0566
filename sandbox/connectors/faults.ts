import { z } from "zod";
import { TargetSchema } from "./order-event";

// Far above the hub's CONNECTOR_TIMEOUT_MS default (10 s), so any client timeout can be
// provoked, yet bounded so a typo cannot hold a request open for hours.
const MAX_LATENCY_MS = 120_000;
// What a "down" system advertises in Retry-After unless told otherwise.
const DEFAULT_DOWN_RETRY_AFTER_SECONDS = 30;

// How many requests a fault answers; omitted means every request until the faults are cleared.
const times = z.number().int().positive().optional();
// The share of requests a fault answers, drawn at random per request; omitted means all.
const rate = z.number().gt(0).max(1).optional();
const retryAfterSeconds = z.number().int().nonnegative();

// Statuses the hub classifies as retryable (see the connector protocol).
const FailStatusSchema = z
  .number()
  .int()
  .refine((status) => status === 408 || status === 429 || (status >= 500 && status <= 599), {
    message: "a failure status is 408, 429 or 5xx; use mode reject for other 4xx",
  });

// 408, 409 and 429 mean something else to the hub (retry, "already have it", retry).
const RejectStatusSchema = z
  .number()
  .int()
  .min(400)
  .max(499)
  .refine((status) => ![408, 409, 429].includes(status), {
    message: "a rejection status is a 4xx other than 408, 409 and 429",
  });

/** One way the sandbox can misbehave, as `POST /_control/faults` takes it (minus `target`). */
export const FaultSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("fail"),
    status: FailStatusSchema.default(500),
    retryAfterSeconds: retryAfterSeconds.optional(),
    times,
    rate,
  }),
  z.object({
    mode: z.literal("reject"),
    status: RejectStatusSchema.default(400),
    reason: z.string().min(1).default("rejected by the sandbox"),
    times,
    rate,
  }),
  z.object({
    mode: z.literal("latency"),
    ms: z.number().int().positive().max(MAX_LATENCY_MS),
    times,
    rate,
  }),
  z.object({
    mode: z.literal("down"),
    retryAfterSeconds: retryAfterSeconds.default(DEFAULT_DOWN_RETRY_AFTER_SECONDS),
    times,
    rate,
  }),
  z.object({ mode: z.literal("drop-after-commit"), times, rate }),
  z.object({ mode: z.literal("pending"), times, rate }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultMode = Fault["mode"];

/** The body of `POST /_control/faults`: a fault and the system it applies to. */
export const FaultRequestSchema = z.intersection(z.object({ target: TargetSchema }), FaultSchema);
export type FaultRequest = z.input<typeof FaultRequestSchema>;

/** A queued fault and how many more requests it answers (`null`: until cleared). */
export interface QueuedFault {
  fault: Fault;
  remaining: number | null;
}

/**
 * The faults waiting for one system's requests, in the order they were added. Each
 * request takes the fault at the head and uses up one of its `times`; a fault without
 * `times` stays at the head, so faults queued behind it wait until it is cleared. A fault
 * with a `rate` answers only that share of requests, drawn at random; the requests it
 * spares are handled normally and use up nothing.
 */
export class FaultQueue {
  #queue: QueuedFault[] = [];
  readonly #random: () => number;

  /** @param random uniform in [0, 1), drawn once per request a `rate` fault meets. */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(fault: Fault): void {
    this.#queue.push({ fault, remaining: fault.times ?? null });
  }

  /** The fault for the request arriving now, if any, counting it as used. */
  take(): Fault | undefined {
    const head = this.#queue[0];
    if (head === undefined) return undefined;
    if (head.fault.rate !== undefined && this.#random() >= head.fault.rate) return undefined;

    if (head.remaining !== null) {
      head.remaining -= 1;
      if (head.remaining === 0) this.#queue.shift();
    }
    return head.fault;
  }

  list(): QueuedFault[] {
    return this.#queue.map((queued) => ({ ...queued }));
  }

  clear(): void {
    this.#queue = [];
  }
}
