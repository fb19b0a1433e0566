import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { claimReceipt, settleReceipt } from "../../db/receipts";
import { webhookMetrics } from "../../metrics/http";
import { describeError } from "../../observability/logger";
import { formatTraceparent } from "../../observability/trace";
import { enqueueEnvelope } from "../../queues/enqueue";
import type { Envelope } from "../../queues/envelope";
import { isDomainHandled } from "../../queues/handlers";
import { isShopActive } from "../../shopify/oauth/installation";
import { domainsOfTopic, payloadSubjects } from "../../shopify/topics";
import { parseWebhookHeaders } from "../../shopify/webhook-headers";
import { verifyWebhookHmac } from "../../shopify/webhook-hmac";
import type { HubEnv } from "../context";
import { ProblemError } from "../problem";

/**
 * `POST /webhooks/shopify`: verify, validate, dedupe, enqueue, answer. Nothing slow runs
 * here — Shopify allows 5 s per delivery — and a 2xx goes out only once the event is on its
 * queue (or deliberately ignored), so an acknowledged webhook is never lost.
 */
export const shopifyWebhooks = new Hono<HubEnv>();

shopifyWebhooks.use(webhookMetrics);

const HMAC_PROBLEMS = {
  missing: "The X-Shopify-Hmac-Sha256 header is missing.",
  malformed: "The X-Shopify-Hmac-Sha256 header is not a base64 SHA-256 digest.",
  mismatch: "The X-Shopify-Hmac-Sha256 header does not match the body.",
} as const;

shopifyWebhooks.post(
  "/",
  (c, next) =>
    bodyLimit({
      maxSize: c.var.settings.WEBHOOK_MAX_BODY_BYTES,
      onError: () => {
        throw new ProblemError(
          413,
          "body_too_large",
          "Webhook body too large",
          `The limit is ${c.var.settings.WEBHOOK_MAX_BODY_BYTES} bytes.`,
        );
      },
    })(c, next),
  async (c) => {
    const { settings, logger, trace, db } = c.var;
    const body = await c.req.arrayBuffer();

    const secrets = [settings.SHOPIFY_API_SECRET, settings.SHOPIFY_API_SECRET_PREVIOUS].filter(
      (secret): secret is string => Boolean(secret),
    );
    const hmac = await verifyWebhookHmac(body, c.req.header("x-shopify-hmac-sha256"), secrets);
    if (!hmac.valid) {
      logger.warn("webhook signature rejected", {
        reason: hmac.reason,
        topic: c.req.header("x-shopify-topic"),
      });
      throw new ProblemError(
        401,
        "invalid_signature",
        "Webhook signature is not valid",
        HMAC_PROBLEMS[hmac.reason],
        { signature: hmac.reason },
      );
    }

    const check = parseWebhookHeaders((name) => c.req.header(name));
    if (!check.ok) {
      throw new ProblemError(
        400,
        "invalid_headers",
        "Webhook headers are missing or invalid",
        undefined,
        {
          missing: check.missing,
          invalid: check.invalid,
        },
      );
    }
    const headers = check.headers;
    const shop = headers["x-shopify-shop-domain"];
    const topic = headers["x-shopify-topic"];
    const webhookId = headers["x-shopify-webhook-id"];
    const log = logger.with({ shop, topic, webhookId });

    if (!settings.SHOPS.includes(shop)) {
      log.warn("webhook from a shop this hub does not serve");
      throw new ProblemError(
        403,
        "unknown_shop",
        "Shop is not served by this hub",
        `${shop} is not in SHOPS.`,
      );
    }

    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new ProblemError(400, "malformed_json", "Webhook body is not valid JSON");
    }

    const receivedAt = Date.now();
    const domains = domainsOfTopic(topic).filter(isDomainHandled);
    const receipt = {
      shop,
      webhookId,
      eventId: headers["x-shopify-event-id"],
      topic,
      apiVersion: headers["x-shopify-api-version"],
      triggeredAt: headers["x-shopify-triggered-at"],
      receivedAt,
      traceId: trace.traceId,
    };

    const claim = await claimReceipt(db, receipt, receivedAt);
    if (!claim.claimed) {
      // `failed`: another delivery claimed it and its enqueue failed after our upsert.
      // Neither it nor this one queued the event, so the answer must make Shopify retry.
      if (claim.status === "pending" || claim.status === "failed") {
        // Another request is enqueuing this very delivery right now. Answering 2xx here
        // could acknowledge an event whose enqueue then fails, so ask Shopify to retry.
        throw new ProblemError(
          409,
          "delivery_in_progress",
          "This delivery is being processed",
          undefined,
          {},
          { "retry-after": "5" },
        );
      }
      log.info("duplicate webhook delivery", { previous: claim.status });
      return c.json({ status: "duplicate", webhookId }, 200);
    }

    const [home] = domains;
    if (!home) {
      await settleReceipt(db, receipt, { status: "ignored" });
      log.info("webhook topic not handled; acknowledged and counted");
      return c.json({ status: "ignored", webhookId, reason: "topic_not_handled" }, 200);
    }
    // After an uninstall only compliance work continues, until the shop installs again.
    if (!domains.includes("compliance") && !(await isShopActive(db, shop))) {
      await settleReceipt(db, receipt, { status: "ignored" });
      log.info("webhook from an uninstalled shop; acknowledged and ignored");
      return c.json({ status: "ignored", webhookId, reason: "shop_uninstalled" }, 200);
    }

    const envelope: Envelope = {
      version: 1,
      domain: home,
      topic,
      shop,
      webhookId,
      eventId: headers["x-shopify-event-id"],
      triggeredAt: headers["x-shopify-triggered-at"],
      receivedAt: new Date(receivedAt).toISOString(),
      apiVersion: headers["x-shopify-api-version"],
      traceparent: formatTraceparent(trace),
      subjects: payloadSubjects(topic, payload),
      payload,
    };

    let payloadKey: string | undefined;
    try {
      // One send per domain: if a later one fails, Shopify's retry repeats the earlier ones,
      // which their consumers absorb idempotently.
      for (const domain of domains) {
        ({ payloadKey } = await enqueueEnvelope(c.env, db, { ...envelope, domain }, body));
      }
    } catch (error) {
      log.error("enqueue failed; asking Shopify to retry", describeError(error));
      await settleReceipt(db, receipt, { status: "failed" }).catch((settleError: unknown) => {
        // The claim then goes stale after STALE_CLAIM_MS and Shopify's retry takes it over.
        log.error("could not mark receipt failed", describeError(settleError));
      });
      throw new ProblemError(
        503,
        "enqueue_failed",
        "Event could not be queued; retry later",
        undefined,
        {},
        { "retry-after": "10" },
      );
    }

    // The event is durably queued, so the answer is 2xx even if this bookkeeping fails: a
    // later redelivery may then enqueue it again, which consumers absorb idempotently.
    await settleReceipt(db, receipt, {
      status: "enqueued",
      queue: domains.join(","),
      ...(payloadKey ? { payloadKey } : {}),
    }).catch((error: unknown) =>
      log.error("could not mark receipt enqueued", describeError(error)),
    );

    log.info("webhook enqueued", {
      domains: domains.join(","),
      durationMs: Date.now() - receivedAt,
    });
    return c.json({ status: "enqueued", webhookId }, 202);
  },
);
