import { ZodError } from "zod";
import { recordComplianceRequest } from "../db/compliance";
import type { Envelope } from "../queues/envelope";
import { PermanentError } from "../queues/errors";
import type { HandlerContext } from "../queues/handler";
import { loadPayload } from "../queues/payload-store";
import { recordUninstall } from "../shopify/oauth/installation";
import { redactCustomer } from "./customer-redact";
import { exportCustomerData } from "./data-request";
import { redactShop } from "./shop-redact";

/**
 * Consumer of the compliance queue: GDPR requests and `app/uninstalled`. Each request's
 * work is idempotent, and its outcome lands in the compliance ledger for the merchant's
 * records (Shopify expects the work within 30 days).
 */
export async function handleComplianceEvent(
  envelope: Envelope,
  ctx: HandlerContext,
): Promise<void> {
  const payload = await loadPayload(ctx.env.PAYLOADS, envelope);
  const { shop, topic, webhookId } = envelope;

  let result: unknown;
  try {
    result = await runRequest(envelope, payload, ctx);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new PermanentError(
        "invalid_compliance_payload",
        `${topic} payload does not match Shopify's shape`,
        { cause: error },
      );
    }
    throw error;
  }

  await recordComplianceRequest(ctx.db, {
    shop,
    topic,
    webhookId,
    ...(envelope.subjects.customerId ? { customerId: envelope.subjects.customerId } : {}),
    receivedAt: Date.parse(envelope.receivedAt),
    result,
  });
  ctx.logger.info("compliance request completed", { topic });
}

async function runRequest(
  envelope: Envelope,
  payload: unknown,
  ctx: HandlerContext,
): Promise<unknown> {
  switch (envelope.topic) {
    case "customers/redact":
      return redactCustomer(envelope.shop, payload, ctx);
    case "customers/data_request":
      return exportCustomerData(envelope.shop, envelope.webhookId, payload, ctx);
    case "shop/redact":
      return redactShop(envelope.shop, ctx);
    case "app/uninstalled":
      return recordUninstall(ctx.db, ctx.logger, envelope.shop, uninstalledAt(envelope));
    default:
      throw new PermanentError(
        "unknown_compliance_topic",
        `the compliance queue does not handle ${envelope.topic}`,
      );
  }
}

/** When Shopify says the app was uninstalled; the hub's receipt time if that is unreadable. */
function uninstalledAt(envelope: Envelope): number {
  const triggered = Date.parse(envelope.triggeredAt);
  return Number.isNaN(triggered) ? Date.parse(envelope.receivedAt) : triggered;
}
