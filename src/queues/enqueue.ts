import type { Database } from "../db/client";
import type { Domain } from "../shopify/topics";
import type { Envelope } from "./envelope";
import { MAX_INLINE_ENVELOPE_BYTES, storePayload } from "./payload-store";

/** The producer binding of each domain's queue. */
export function domainQueue(env: Cloudflare.Env, domain: Domain): Queue {
  switch (domain) {
    case "orders":
      return env.ORDERS_QUEUE;
    case "inventory":
      return env.INVENTORY_QUEUE;
    case "catalog":
      return env.CATALOG_QUEUE;
    case "customers":
      return env.CUSTOMERS_QUEUE;
    case "compliance":
      return env.COMPLIANCE_QUEUE;
  }
}

/**
 * Sends an envelope to its domain queue, moving the payload to R2 first when the message
 * would exceed the queue's size limit. Resolves only once Queues has accepted the message,
 * so a caller may acknowledge the webhook; rejects otherwise.
 */
export async function enqueueEnvelope(
  env: Cloudflare.Env,
  db: Database,
  envelope: Envelope,
  rawBody: ArrayBuffer,
): Promise<{ payloadKey?: string }> {
  let message = envelope;
  let payloadKey: string | undefined;

  const inlineBytes = new TextEncoder().encode(JSON.stringify(envelope)).byteLength;
  if (envelope.payload !== undefined && inlineBytes > MAX_INLINE_ENVELOPE_BYTES) {
    const ref = await storePayload(env.PAYLOADS, db, envelope, rawBody);
    message = { ...envelope, payload: undefined, payloadRef: ref };
    payloadKey = ref.key;
  }

  await domainQueue(env, envelope.domain).send(message, { contentType: "json" });
  return payloadKey ? { payloadKey } : {};
}
