import { withBreaker } from "../connectors/breaker";
import type { ConnectorOutcome } from "../connectors/classify";
import { sendToConnector } from "../connectors/client";
import type { ConnectorConfig } from "../connectors/config";
import { sha256Hex } from "../crypto/digest";
import {
  acquireOrderTarget,
  claimEffect,
  findOrderTarget,
  type OrderTarget,
  releaseOrderTarget,
  settleEffect,
  updateOrderTarget,
} from "../db/order-exports";
import { recordOrderExport } from "../metrics/instrumentation";
import { formatTraceparent, nextTrace, parseTraceparent } from "../observability/trace";
import type { Envelope } from "../queues/envelope";
import { PermanentError, RetryableError } from "../queues/errors";
import type { HandlerContext } from "../queues/handler";
import type { CanonicalOrder } from "./canonical";
import type { OrderEvent } from "./order-event";
import { applyPiiPolicy } from "./pii";
import { idempotencyKey, type OrderEffect, type OrderRoute } from "./routing";

/** The protocol path every order connector serves (docs/connectors.md). */
export const ORDER_EVENTS_PATH = "/v1/order-events";

/** How long a consumer may hold an order's lease: one connector call plus bookkeeping. */
const LEASE_MARGIN_MS = 5_000;
/** Delays for waits that resolve on their own, well under the retry policy's cap. */
const BUSY_RETRY_SECONDS = 2;
const DEPENDENCY_RETRY_SECONDS = 5;
const ACK_RETRY_SECONDS = 30;

interface PlannedEffect {
  effect: OrderEffect;
  revision: string;
}

/**
 * Sends what one order event means to one connector, exactly once in effect: under the
 * order's lease, each effect is claimed in the ledger by its idempotency key, sent, and
 * settled. Returns the connector's row afterwards (for the write-back).
 * @throws {RetryableError} while the connector or a prerequisite is not ready
 * @throws {PermanentError} when the connector rejects the event
 */
export async function exportToConnector(
  event: OrderEvent,
  envelope: Envelope,
  route: OrderRoute,
  connector: ConnectorConfig,
  ctx: HandlerContext,
): Promise<OrderTarget | undefined> {
  const key = { shop: envelope.shop, orderId: event.orderId, connector: connector.name };
  if (route.after) await requireAccepted(ctx, { ...key, connector: route.after });

  const trace = parseTraceparent(envelope.traceparent);
  const lease = await acquireOrderTarget(ctx.db, key, {
    orderName: "order" in event ? event.order.name : null,
    traceId: trace?.traceId ?? "",
    leaseMs: connector.timeoutMs + LEASE_MARGIN_MS,
  });
  if (!lease) {
    throw new RetryableError(
      "order_busy",
      `${connector.name} export of this order is in progress`,
      { retryAfterSeconds: BUSY_RETRY_SECONDS, wait: true },
    );
  }

  try {
    let target = lease.target;
    const digest = "order" in event ? await orderDigest(event.order) : null;
    for (const planned of planEffects(event, target, route, digest)) {
      target = await sendEffect(event, envelope, planned, target, connector, ctx, digest);
    }
    return target;
  } finally {
    await releaseOrderTarget(ctx.db, key, lease.owner);
  }
}

/**
 * Which effects this event still needs at this connector, oldest first. The first thing a
 * connector receives about an order is always a create carrying the newest version the
 * hub has seen, so an update, cancellation or payment that overtook its create still
 * arrives in a safe order; updates older than what the connector has are no-ops.
 */
export function planEffects(
  event: OrderEvent,
  target: OrderTarget,
  route: OrderRoute,
  digest: string | null = null,
): PlannedEffect[] {
  const allowed = (effect: OrderEffect) => route.effects.includes(effect);
  const planned: PlannedEffect[] = [];

  if (target.status === "awaiting_ack" && event.effect !== "create") {
    throw new RetryableError("awaiting_ack", "the connector has not acknowledged the order yet", {
      retryAfterSeconds: ACK_RETRY_SECONDS,
    });
  }
  const created = target.status === "exported" || target.status === "awaiting_ack";

  if (!created) {
    if (event.effect === "refund") {
      throw new RetryableError("awaiting_create", "the order has not been exported yet", {
        retryAfterSeconds: DEPENDENCY_RETRY_SECONDS,
      });
    }
    if (allowed("create")) planned.push({ effect: "create", revision: "0" });
  } else if (event.effect === "update" && allowed("update")) {
    const changed = digest === null || digest !== target.exportedDigest;
    if (event.revisionMs > (target.exportedRevision ?? 0) && changed) {
      planned.push({ effect: "update", revision: String(event.revisionMs) });
    }
  }

  if ((event.effect === "cancel" || event.effect === "payment") && allowed(event.effect)) {
    planned.push({ effect: event.effect, revision: "0" });
  }
  if (event.effect === "refund" && allowed("refund")) {
    planned.push({ effect: "refund", revision: event.refund.refundId });
  }
  return planned;
}

async function sendEffect(
  event: OrderEvent,
  envelope: Envelope,
  planned: PlannedEffect,
  target: OrderTarget,
  connector: ConnectorConfig,
  ctx: HandlerContext,
  digest: string | null,
): Promise<OrderTarget> {
  const key = idempotencyKey(envelope.shop, event.orderId, planned.revision, planned.effect);
  const money = effectAmount(event, planned.effect);
  const trace = nextTrace(parseTraceparent(envelope.traceparent));
  const ledgerKey = { connector: connector.name, idempotencyKey: key };
  const targetKey = { shop: envelope.shop, orderId: event.orderId, connector: connector.name };

  const claim = await claimEffect(ctx.db, {
    ...ledgerKey,
    shop: envelope.shop,
    orderId: event.orderId,
    effect: planned.effect,
    revision: planned.revision,
    traceId: trace.traceId,
    ...money,
  });
  if (!claim.send) return target;

  const body = {
    effect: planned.effect,
    shop: envelope.shop,
    orderId: event.orderId,
    idempotencyKey: key,
    occurredAt: envelope.triggeredAt,
    ...("order" in event ? { order: await applyPiiPolicy(event.order, connector.pii) } : {}),
    ...(event.effect === "refund" ? { refund: event.refund } : {}),
  };

  const exportSample = { shop: envelope.shop, connector: connector.name, effect: planned.effect };
  let outcome: ConnectorOutcome;
  try {
    outcome = await withBreaker(ctx, connector.name, () =>
      sendToConnector(connector, {
        path: ORDER_EVENTS_PATH,
        idempotencyKey: key,
        traceparent: formatTraceparent(trace),
        body,
      }),
    );
  } catch (error) {
    const rejected = error instanceof PermanentError;
    const lastError = error instanceof Error ? error.message : String(error);
    await settleEffect(ctx.db, ledgerKey, { status: rejected ? "rejected" : "failed", lastError });
    await updateOrderTarget(ctx.db, targetKey, {
      attempts: target.attempts + 1,
      lastError,
      ...(rejected && planned.effect === "create" ? { status: "rejected" as const } : {}),
    });
    recordOrderExport(ctx.env, { ...exportSample, outcome: "failed", error });
    throw error;
  }

  const now = Date.now();
  const lagMs = Math.max(0, now - Date.parse(envelope.triggeredAt)) || null;
  if (outcome.kind === "pending") {
    await settleEffect(ctx.db, ledgerKey, { status: "awaiting_ack" });
  } else {
    await settleEffect(ctx.db, ledgerKey, {
      status: "exported",
      externalRef: outcome.externalRef,
      exportedAt: now,
      lagMs,
    });
  }
  const exported = outcome.kind !== "pending";
  recordOrderExport(ctx.env, {
    ...exportSample,
    ...(exported ? { outcome: "exported", lagMs } : { outcome: "pending" }),
  });
  ctx.logger.info("order effect sent", {
    connector: connector.name,
    effect: planned.effect,
    outcome: outcome.kind,
    lagMs,
  });

  const changes = targetChanges(target, planned, outcome, { now, lagMs, event, digest });
  await updateOrderTarget(ctx.db, targetKey, changes, now);
  return { ...target, ...changes };
}

function targetChanges(
  target: OrderTarget,
  planned: PlannedEffect,
  outcome: ConnectorOutcome,
  context: { now: number; lagMs: number | null; event: OrderEvent; digest: string | null },
): Partial<OrderTarget> {
  const base = { attempts: target.attempts + 1, lastError: null };
  const revision = "order" in context.event ? context.event.revisionMs : null;
  const version = { exportedRevision: revision, exportedDigest: context.digest };

  if (planned.effect === "create") {
    if (outcome.kind === "pending") return { ...base, ...version, status: "awaiting_ack" };
    return {
      ...base,
      ...version,
      status: "exported",
      externalRef: outcome.externalRef,
      exportedAt: context.now,
      lagMs: context.lagMs,
    };
  }
  if (planned.effect === "update") return { ...base, ...version };
  return base;
}

/** The money a payment or refund effect moves, kept for payout reconciliation. */
function effectAmount(
  event: OrderEvent,
  effect: OrderEffect,
): { amount?: string; currency?: string } {
  if (effect === "refund" && event.effect === "refund") {
    return { amount: event.refund.amount, currency: event.refund.currency };
  }
  if (effect === "payment" && "order" in event) return orderAmount(event.order);
  return {};
}

function orderAmount(order: CanonicalOrder): { amount: string; currency: string } {
  return { amount: order.totals.total, currency: order.currency };
}

async function requireAccepted(
  ctx: HandlerContext,
  key: { shop: string; orderId: string; connector: string },
): Promise<void> {
  const upstream = await findOrderTarget(ctx.db, key);
  if (upstream?.status === "exported") return;
  throw new RetryableError(
    `awaiting_${key.connector}_acceptance`,
    `waiting for the ${key.connector} to accept the order first`,
    { retryAfterSeconds: DEPENDENCY_RETRY_SECONDS },
  );
}

/**
 * SHA-256 of what a connector cares about in an order version: everything but where the
 * version came from, when it was stamped, and its tags (the hub's own write-back adds one).
 */
export async function orderDigest(order: CanonicalOrder): Promise<string> {
  const { source: _source, updatedAt: _updatedAt, tags: _tags, ...content } = order;
  return sha256Hex(JSON.stringify(content));
}
