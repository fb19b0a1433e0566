import { raiseAlert, resolveAlerts } from "../../alerts/raise";
import { loadSettings } from "../../config/settings";
import { openDatabase } from "../../db/client";
import { recordDeadLetter } from "../../db/dead-letters";
import { recordAtsPropagation } from "../../metrics/hooks";
import { createLogger, describeError } from "../../observability/logger";
import { parseTraceparent } from "../../observability/trace";
import { PermanentError, RetryableError } from "../../queues/errors";
import { decideRetry } from "../../queues/retry-policy";
import { type InventoryPushMessage, InventoryPushMessageSchema } from "./message";
import { pushShop } from "./send";

/** The dead-letter topic push messages are parked under (domain `inventory`). */
export const PUSH_TOPIC = "inventory/push";

/**
 * The consumer of INVENTORY_PUSH_QUEUE: groups a batch by shop and brings each shop's
 * SKUs up to date in Shopify with as few mutations as the 250-quantity cap allows. A
 * shop's messages are acknowledged, retried or parked together.
 */
export async function handleInventoryPushBatch(
  batch: MessageBatch,
  env: Cloudflare.Env,
): Promise<void> {
  const settings = loadSettings(env);
  const db = openDatabase(env.DB);
  const logger = createLogger(settings.LOG_LEVEL, { queue: batch.queue });

  const byShop = new Map<string, { message: Message; body: InventoryPushMessage }[]>();
  for (const message of batch.messages) {
    const parsed = InventoryPushMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      await park(env, message, "invalid_message", "invalid_push_message", parsed.error.message);
      continue;
    }
    const list = byShop.get(parsed.data.shop) ?? [];
    list.push({ message, body: parsed.data });
    byShop.set(parsed.data.shop, list);
  }

  for (const [shop, entries] of byShop) {
    const shopLogger = logger.with({ shop });
    const skus = [...new Set(entries.map((entry) => entry.body.sku))];
    try {
      const summary = await pushShop({ env, settings, logger: shopLogger, db }, shop, skus);
      for (const { message } of entries) message.ack();
      await resolvePushTickets(env, shop, skus, shopLogger);
      const oldest = Math.min(...entries.map((entry) => entry.body.changedAt));
      recordAtsPropagation(env, { shop, lagMs: Date.now() - oldest, source: "push" });
      shopLogger.info("inventory pushed to shopify", {
        ...summary,
        lagMs: Date.now() - oldest,
        traceIds: traceIdsOf(entries.map((entry) => entry.body)),
      });
    } catch (error) {
      await settleFailure(env, settings, shop, entries, error, shopLogger);
    }
  }
}

/**
 * A push that went through clears the `push_failed` tickets of its SKUs. Best effort: the
 * messages are already acknowledged, so a failure here is logged and the tickets wait for
 * the SKU's next successful push.
 */
async function resolvePushTickets(
  env: Cloudflare.Env,
  shop: string,
  skus: readonly string[],
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  try {
    await resolveAlerts(
      env,
      skus.map((sku) => `push_failed:${shop}:${sku}`),
    );
  } catch (error) {
    logger.warn("push_failed tickets not resolved", describeError(error));
  }
}

/** The distinct trace ids behind a shop's pushes, so a trace search finds this push. */
function traceIdsOf(messages: readonly InventoryPushMessage[]): string {
  const ids = messages.flatMap((message) => parseTraceparent(message.traceparent)?.traceId ?? []);
  return [...new Set(ids)].join(",");
}

async function settleFailure(
  env: Cloudflare.Env,
  settings: ReturnType<typeof loadSettings>,
  shop: string,
  entries: { message: Message; body: InventoryPushMessage }[],
  error: unknown,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  for (const { message, body } of entries) {
    const decision = decideRetry(error, message.attempts, {
      maxAttempts: settings.QUEUE_MAX_ATTEMPTS,
      baseSeconds: settings.RETRY_BASE_SECONDS,
      maxSeconds: settings.RETRY_MAX_SECONDS,
    });
    if (decision.action === "retry") {
      message.retry({ delaySeconds: decision.delaySeconds });
      continue;
    }
    await park(env, message, decision.errorClass, decision.code, decision.message);
    await raiseAlert(env, {
      kind: "push_failed",
      severity: "ticket",
      key: `push_failed:${shop}:${body.sku}`,
      shop,
      detail: { sku: body.sku, code: decision.code },
    });
  }
  const failure = error instanceof RetryableError || error instanceof PermanentError;
  logger.warn("inventory push failed", {
    ...describeError(error),
    code: failure ? error.code : "unexpected_error",
    messages: entries.length,
  });
}

/**
 * Records a push message that cannot be delivered (or that the platform moved to the
 * push dead-letter queue) for triage. Replaying it is unnecessary: the next change to the
 * SKU pushes its current state.
 */
export async function park(
  env: Cloudflare.Env,
  message: Message,
  errorClass: string,
  code: string,
  reason: string,
): Promise<void> {
  const parsed = InventoryPushMessageSchema.safeParse(message.body);
  await recordDeadLetter(openDatabase(env.DB), {
    shop: parsed.success ? parsed.data.shop : "unknown",
    domain: "inventory",
    topic: PUSH_TOPIC,
    subjects: {},
    envelope: message.body,
    errorClass,
    errorCode: code,
    errorMessage: reason,
    attempts: message.attempts,
  });
  message.ack();
}

/** The push dead-letter queue's consumer: park every message it receives. */
export async function handleInventoryPushDeadLetters(
  batch: MessageBatch,
  env: Cloudflare.Env,
): Promise<void> {
  for (const message of batch.messages) {
    await park(
      env,
      message,
      "platform_dead_letter",
      "max_retries_exceeded",
      "Cloudflare Queues moved this push to the dead-letter queue after its retries ran out",
    );
  }
}
