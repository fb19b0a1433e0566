import { loadSettings, type Settings } from "../config/settings";
import { type Database, openDatabase } from "../db/client";
import { recordDeadLetter } from "../db/dead-letters";
import {
  handleInventoryPushBatch,
  handleInventoryPushDeadLetters,
} from "../inventory/push/consume";
import { recordQueueOutcome } from "../metrics/instrumentation";
import { flushMetrics } from "../metrics/record";
import { createLogger, describeError, type Logger } from "../observability/logger";
import { parseTraceparent } from "../observability/trace";
import { isShopActive } from "../shopify/oauth/installation";
import { DOMAINS, type Domain } from "../shopify/topics";
import { domainQueue } from "./enqueue";
import { type Envelope, EnvelopeSchema } from "./envelope";
import { RetryableError } from "./errors";
import { handlerFor } from "./handlers";
import { type DeadLetterClass, decideRetry } from "./retry-policy";

/**
 * Queue names follow `<prefix>-<domain>` and `<prefix>-<domain>-dlq` (see wrangler.toml),
 * so one Worker serves every environment's queues.
 */
export function parseQueueName(name: string): { domain: Domain; deadLetter: boolean } | undefined {
  const match = /-([a-z]+)(-dlq)?$/.exec(name);
  const domain = DOMAINS.find((candidate) => candidate === match?.[1]);
  return domain ? { domain, deadLetter: Boolean(match?.[2]) } : undefined;
}

/**
 * `<prefix>-inventory-push` and its `-dlq` carry stock pushes to Shopify, not webhook
 * envelopes, so they have their own consumer (src/inventory/push/consume.ts).
 */
export function parsePushQueueName(name: string): { deadLetter: boolean } | undefined {
  const match = /-inventory-push(-dlq)?$/.exec(name);
  return match ? { deadLetter: Boolean(match[1]) } : undefined;
}

/**
 * The Worker's one `queue()` entry. Each message is acknowledged, retried or parked on its
 * own, so one poison message never takes its batch down with it.
 */
export async function handleQueueBatch(batch: MessageBatch, env: Cloudflare.Env): Promise<void> {
  try {
    await dispatchBatch(batch, env);
  } finally {
    await flushMetrics(env);
  }
}

async function dispatchBatch(batch: MessageBatch, env: Cloudflare.Env): Promise<void> {
  const push = parsePushQueueName(batch.queue);
  if (push?.deadLetter) return handleInventoryPushDeadLetters(batch, env);
  if (push) return handleInventoryPushBatch(batch, env);

  const settings = loadSettings(env);
  const db = openDatabase(env.DB);
  const logger = createLogger(settings.LOG_LEVEL, { queue: batch.queue });

  const route = parseQueueName(batch.queue);
  if (!route) {
    // A binding this Worker does not know; retrying lets the platform DLQ keep the messages.
    logger.error("message from an unknown queue; retrying so nothing is dropped");
    batch.retryAll();
    return;
  }

  for (const message of batch.messages) {
    if (route.deadLetter) await parkPlatformDeadLetter(message, route.domain, { env, db, logger });
    else await processMessage(message, route.domain, { env, settings, db, logger });
  }
}

async function processMessage(
  message: Message,
  domain: Domain,
  ctx: { env: Cloudflare.Env; settings: Settings; db: Database; logger: Logger },
): Promise<void> {
  const parsed = EnvelopeSchema.safeParse(message.body);
  if (!parsed.success) {
    await park(ctx, message, {
      domain,
      errorClass: "invalid_message",
      code: "invalid_envelope",
      message: parsed.error.issues
        .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
        .join("; "),
    });
    return;
  }

  const envelope = parsed.data;
  const logger = ctx.logger.with({
    shop: envelope.shop,
    topic: envelope.topic,
    webhookId: envelope.webhookId,
    traceId: parseTraceparent(envelope.traceparent)?.traceId,
    attempt: message.attempts,
  });
  const handler = handlerFor(domain);

  try {
    if (!handler) throw new Error(`no handler is registered for the ${domain} queue`);
    // An uninstalled shop gets no more work, only its compliance requests (docs/install.md).
    if (domain !== "compliance" && !(await isShopActive(ctx.db, envelope.shop))) {
      message.ack();
      logger.info("message skipped: the shop uninstalled the app");
      return;
    }
    await handler(envelope, { ...ctx, logger, trace: parseTraceparent(envelope.traceparent) });
    message.ack();
    recordQueueOutcome(ctx.env, {
      domain,
      outcome: "acked",
      shop: envelope.shop,
      topic: envelope.topic,
    });
    logger.debug("message handled");
  } catch (error) {
    const decision = decideRetry(error, message.attempts, {
      maxAttempts: ctx.settings.QUEUE_MAX_ATTEMPTS,
      baseSeconds: ctx.settings.RETRY_BASE_SECONDS,
      maxSeconds: ctx.settings.RETRY_MAX_SECONDS,
    });
    if (decision.action === "retry" && error instanceof RetryableError && error.options.wait) {
      if (await requeue(ctx.env, domain, message, decision.delaySeconds, logger)) return;
    }
    if (decision.action === "retry") {
      logger.warn("message failed; retrying", {
        code: decision.code,
        delaySeconds: decision.delaySeconds,
        ...describeError(error),
      });
      message.retry({ delaySeconds: decision.delaySeconds });
      recordQueueOutcome(ctx.env, { domain, outcome: "retried", errorClass: decision.code });
      return;
    }
    await park({ ...ctx, logger }, message, {
      domain,
      envelope,
      errorClass: decision.errorClass,
      code: decision.code,
      message: decision.message,
    });
  }
}

/**
 * Sends a fresh copy of a waiting message with a delay and acknowledges the original, so
 * waiting (say, through an ERP outage behind an open breaker) never exhausts its attempts.
 * Returns false when the send fails; the caller then retries the original instead.
 */
async function requeue(
  env: Cloudflare.Env,
  domain: Domain,
  message: Message,
  delaySeconds: number,
  logger: Logger,
): Promise<boolean> {
  try {
    await domainQueue(env, domain).send(message.body, { contentType: "json", delaySeconds });
  } catch (error) {
    logger.warn("could not re-queue a waiting message; retrying it", describeError(error));
    return false;
  }
  message.ack();
  recordQueueOutcome(env, { domain, outcome: "requeued" });
  logger.info("message waiting; re-queued", { delaySeconds });
  return true;
}

async function park(
  { env, db, logger }: { env: Cloudflare.Env; db: Database; logger: Logger },
  message: Message,
  failure: {
    domain: Domain;
    envelope?: Envelope;
    errorClass: DeadLetterClass;
    code: string;
    message: string;
  },
): Promise<void> {
  const envelope = failure.envelope;
  try {
    const id = await recordDeadLetter(db, {
      shop: envelope?.shop ?? "unknown",
      domain: failure.domain,
      topic: envelope?.topic ?? "unknown",
      webhookId: envelope?.webhookId,
      subjects: envelope?.subjects ?? {},
      envelope: message.body,
      errorClass: failure.errorClass,
      errorCode: failure.code,
      errorMessage: failure.message,
      attempts: message.attempts,
    });
    logger.error("message parked as a dead letter", {
      deadLetterId: id,
      errorClass: failure.errorClass,
      code: failure.code,
    });
    message.ack();
    recordQueueOutcome(env, {
      domain: failure.domain,
      outcome: "dead_lettered",
      shop: envelope?.shop,
      topic: envelope?.topic,
      errorClass: failure.errorClass,
    });
  } catch (error) {
    // D1 is unavailable: keep the message on the queue. Past max_retries the platform
    // moves it to the domain's dead-letter queue, whose consumer records it later.
    logger.error("could not record dead letter; retrying", describeError(error));
    message.retry({ delaySeconds: 30 });
  }
}

/** Messages the platform moved to a `-dlq` queue are recorded in D1 for triage and replay. */
async function parkPlatformDeadLetter(
  message: Message,
  domain: Domain,
  ctx: { env: Cloudflare.Env; db: Database; logger: Logger },
) {
  const parsed = EnvelopeSchema.safeParse(message.body);
  await park(ctx, message, {
    domain,
    ...(parsed.success ? { envelope: parsed.data } : {}),
    errorClass: "platform_dead_letter",
    code: "max_retries_exceeded",
    message:
      "Cloudflare Queues moved this message to the dead-letter queue after its retries ran out",
  });
}
