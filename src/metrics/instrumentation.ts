import { PermanentError, RetryableError } from "../queues/errors";
import { recordMetric } from "./record";

/**
 * One-line recorders for the hub's own call sites (webhooks, order export, connectors,
 * queues, breakers, Shopify Admin calls). Like `recordMetric`, none of them throws.
 */

/**
 * The error class a failure is counted under: its code when it has one, else its name; a
 * string stands for itself.
 */
export function errorClassOf(error: unknown): string {
  if (error instanceof RetryableError || error instanceof PermanentError) return error.code;
  if (error instanceof Error) return error.name;
  if (typeof error === "string") return error;
  return typeof error;
}

/** A webhook answered with `status` after `durationMs`; shop and topic only once verified. */
export function recordWebhook(
  env: Cloudflare.Env,
  sample: { status: number; durationMs: number; shop?: string; topic?: string },
): void {
  const verified = sample.status < 300;
  recordMetric(env, {
    name: "webhook.latency",
    value: sample.durationMs,
    dimensions: {
      outcome: webhookOutcome(sample.status),
      ...(verified ? { shop: sample.shop, topic: sample.topic } : {}),
    },
  });
}

function webhookOutcome(status: number): string {
  if (status === 202) return "enqueued";
  if (status < 300) return "acknowledged";
  if (status === 409) return "in_progress";
  if (status < 500) return "rejected";
  return "failed";
}

/**
 * An order effect reached a connector (`exported`, `pending` an async ack) or failed.
 * Records the outcome and, when known, the export lag the orders SLO measures.
 */
export function recordOrderExport(
  env: Cloudflare.Env,
  sample: {
    shop: string;
    connector: string;
    effect: string;
    outcome: "exported" | "pending" | "failed";
    lagMs?: number | null;
    error?: unknown;
  },
): void {
  const dimensions = {
    shop: sample.shop,
    integration: sample.connector,
    effect: sample.effect,
    outcome: sample.outcome,
  };
  const errorClass = sample.outcome === "failed" ? errorClassOf(sample.error) : undefined;
  recordMetric(env, {
    name: "order.export.outcome",
    value: 1,
    dimensions: { ...dimensions, errorClass },
  });
  if (sample.lagMs !== undefined && sample.lagMs !== null) {
    recordMetric(env, { name: "order.export.lag", value: sample.lagMs, dimensions });
  }
}

/** One connector call: `ok`, `failed` (unhealthy), `rejected` (permanent) or `short_circuited`. */
export function recordConnectorCall(
  env: Cloudflare.Env,
  sample: {
    connector: string;
    outcome: "ok" | "failed" | "rejected" | "short_circuited";
    durationMs: number;
    error?: unknown;
  },
): void {
  recordMetric(env, {
    name: "connector.call",
    value: sample.durationMs,
    dimensions: {
      integration: sample.connector,
      outcome: sample.outcome,
      errorClass: sample.error === undefined ? undefined : errorClassOf(sample.error),
    },
  });
}

/** What the queue consumer did with one message. */
export function recordQueueOutcome(
  env: Cloudflare.Env,
  sample: {
    domain: string;
    outcome: "acked" | "retried" | "requeued" | "dead_lettered";
    shop?: string;
    topic?: string;
    errorClass?: string;
  },
): void {
  const { domain, outcome, shop, topic, errorClass } = sample;
  recordMetric(env, {
    name: "queue.message",
    value: 1,
    dimensions: { domain, outcome, shop, topic, errorClass },
  });
}

/** A circuit breaker moved to `state`. */
export function recordBreakerTransition(
  env: Cloudflare.Env,
  sample: { connector: string; state: string },
): void {
  recordMetric(env, {
    name: "breaker.transition",
    value: 1,
    dimensions: { integration: sample.connector, state: sample.state },
  });
}

/** One Shopify Admin operation, started at `startedAt`, failed with `error` if given. */
export function recordAdminCall(
  env: Cloudflare.Env,
  sample: { shop: string; operation: string; startedAt: number; error?: unknown },
): void {
  const failed = sample.error !== undefined;
  recordMetric(env, {
    name: "shopify.admin.call",
    value: Date.now() - sample.startedAt,
    dimensions: {
      shop: sample.shop,
      operation: sample.operation,
      outcome: failed ? "failed" : "ok",
      errorClass: failed ? errorClassOf(sample.error) : undefined,
    },
  });
}
