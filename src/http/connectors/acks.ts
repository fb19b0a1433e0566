import { Hono } from "hono";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { Settings } from "../../config/settings";
import { connectorConfig, ORDER_CONNECTORS, type OrderConnector } from "../../connectors/config";
import { recordDeadLetter } from "../../db/dead-letters";
import { listOrderEvents } from "../../db/order-events";
import {
  findEffect,
  findOrderTarget,
  settleEffect,
  updateOrderTarget,
} from "../../db/order-exports";
import { recordOrderExport } from "../../metrics/instrumentation";
import { replayOrder } from "../../orders/replay";
import { PermanentError } from "../../queues/errors";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";

export const AckSchema = z.union([
  z.object({ idempotencyKey: z.string().min(1), externalRef: z.string().min(1).max(200) }),
  z.object({
    idempotencyKey: z.string().min(1),
    rejected: z.object({ reason: z.string().min(1).max(2000) }),
  }),
]);
export type Ack = z.infer<typeof AckSchema>;

/**
 * `POST /connectors/{connector}/acks`: a connector that answered an export with 202
 * reports the outcome later, signed like the hub's own calls (docs/connectors.md).
 */
export const connectorAcks = new Hono<HubEnv>();

connectorAcks.post("/:connector/acks", async (c) => {
  const name = parseInput(z.enum(ORDER_CONNECTORS), c.req.param("connector"), "path");
  const connector = configuredConnector(c.var.settings, name);
  if (!connector) {
    throw new ProblemError(
      404,
      "connector_not_configured",
      `The ${name} connector is not configured`,
    );
  }

  const body = await c.req.text();
  let payload: unknown;
  try {
    payload = new Webhook(connector.signingSecret).verify(body, c.req.header());
  } catch {
    throw new ProblemError(
      401,
      "invalid_signature",
      "Ack signature is not valid",
      "Sign the body with the connector's secret using Standard Webhooks headers.",
    );
  }
  const ack = parseInput(AckSchema, payload, "body");

  const effect = await findEffect(c.var.db, name, ack.idempotencyKey);
  if (!effect) {
    throw new ProblemError(
      404,
      "unknown_export",
      "No export with this idempotency key",
      ack.idempotencyKey,
    );
  }
  if ("externalRef" in ack && effect.status === "exported") {
    if (effect.externalRef === ack.externalRef) return c.json({ status: "already_acknowledged" });
    throw new ProblemError(
      409,
      "conflicting_reference",
      "This export was already acknowledged with another reference",
      `Recorded reference: ${effect.externalRef ?? "(none)"}.`,
    );
  }
  if (effect.status !== "awaiting_ack") {
    throw new ProblemError(
      409,
      "not_awaiting_ack",
      "This export is not waiting for an acknowledgement",
      `Its status is ${effect.status}.`,
      {},
      { "retry-after": "5" },
    );
  }

  const now = Date.now();
  const ledgerKey = { connector: name, idempotencyKey: ack.idempotencyKey };
  const targetKey = { shop: effect.shop, orderId: effect.orderId, connector: name };
  const log = c.var.logger.with({ shop: effect.shop, connector: name });
  const exportSample = { shop: effect.shop, connector: name, effect: effect.effect };

  if ("rejected" in ack) {
    await settleEffect(c.var.db, ledgerKey, { status: "rejected", lastError: ack.rejected.reason });
    if (effect.effect === "create") {
      await updateOrderTarget(c.var.db, targetKey, {
        status: "rejected",
        lastError: ack.rejected.reason,
      });
    }
    await parkRejection(c.var.db, effect, ack.rejected.reason);
    recordOrderExport(c.env, { ...exportSample, outcome: "failed", error: "rejected_async" });
    log.warn("connector rejected an order asynchronously", { effect: effect.effect });
    return c.json({ status: "rejection_recorded" });
  }

  const lagMs = now - effect.firstSeenAt;
  await settleEffect(c.var.db, ledgerKey, {
    status: "exported",
    externalRef: ack.externalRef,
    exportedAt: now,
    lagMs,
  });
  recordOrderExport(c.env, { ...exportSample, outcome: "exported", lagMs });
  if (effect.effect === "create") {
    const target = await findOrderTarget(c.var.db, targetKey);
    await updateOrderTarget(c.var.db, targetKey, {
      status: "exported",
      externalRef: ack.externalRef,
      exportedAt: now,
      lagMs: target ? now - target.firstSeenAt : lagMs,
      lastError: null,
    });
  }
  // The normal path writes the reference back to Shopify and sends what waited on the ack.
  await replayOrder(c.env, c.var.db, effect.shop, effect.orderId, `ack:${ack.idempotencyKey}`);
  log.info("connector acknowledged an order", { effect: effect.effect });
  return c.json({ status: "acknowledged" });
});

function configuredConnector(settings: Settings, name: OrderConnector) {
  try {
    return connectorConfig(settings, name);
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    throw new ProblemError(500, "misconfigured", "The hub is misconfigured", error.message);
  }
}

/** A late rejection becomes a dead letter like a synchronous one, ready for triage and replay. */
async function parkRejection(
  db: HubEnv["Variables"]["db"],
  effect: { shop: string; orderId: string; connector: string; effect: string; attempts: number },
  reason: string,
): Promise<void> {
  const events = await listOrderEvents(db, effect.shop, effect.orderId);
  const latest = events.sort((a, b) => b.updatedAt - a.updatedAt)[0];
  if (!latest) return;
  const envelope = JSON.parse(latest.envelope) as { topic: string; webhookId?: string };

  await recordDeadLetter(db, {
    shop: effect.shop,
    domain: "orders",
    topic: envelope.topic,
    ...(envelope.webhookId ? { webhookId: envelope.webhookId } : {}),
    subjects: {
      orderId: effect.orderId,
      ...(latest.customerId ? { customerId: latest.customerId } : {}),
    },
    envelope: JSON.parse(latest.envelope),
    errorClass: "permanent",
    errorCode: "connector_rejected",
    errorMessage: `${effect.connector} rejected the ${effect.effect}: ${reason}`,
    attempts: effect.attempts,
  });
}
