import { and, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { storedPayloads } from "../db/schema";
import type { Envelope } from "./envelope";
import { PermanentError, RetryableError } from "./errors";

/**
 * Cloudflare Queues reject messages over 128 KB
 * (https://developers.cloudflare.com/queues/platform/limits/). An envelope whose JSON is
 * larger than this carries its payload by reference to R2 instead; the margin leaves room
 * for the platform's own framing.
 */
export const MAX_INLINE_ENVELOPE_BYTES = 120 * 1024;

interface StoreTarget {
  shop: string;
  webhookId: string;
  topic: string;
  subjects: Envelope["subjects"];
}

/** Keeps the raw body in R2 and indexes it by shop, customer and order. Idempotent per delivery. */
export async function storePayload(
  bucket: R2Bucket,
  db: Database,
  target: StoreTarget,
  body: ArrayBuffer | Uint8Array,
): Promise<{ key: string; bytes: number }> {
  const key = `payloads/${target.shop}/${encodeURIComponent(target.webhookId)}.json`;

  await bucket.put(key, body, { httpMetadata: { contentType: "application/json" } });
  await db
    .insert(storedPayloads)
    .values({
      key,
      shop: target.shop,
      webhookId: target.webhookId,
      topic: target.topic,
      customerId: target.subjects.customerId ?? null,
      orderId: target.subjects.orderId ?? null,
      bytes: body.byteLength,
      createdAt: Date.now(),
    })
    .onConflictDoNothing();

  return { key, bytes: body.byteLength };
}

/**
 * The envelope's payload, read from R2 when it travelled by reference. A missing object
 * (deleted by a redaction or retention) is permanent: retrying cannot bring it back.
 */
export async function loadPayload(bucket: R2Bucket, envelope: Envelope): Promise<unknown> {
  if (!envelope.payloadRef) return envelope.payload;

  let object: R2ObjectBody | null;
  try {
    object = await bucket.get(envelope.payloadRef.key);
  } catch (cause) {
    throw new RetryableError("payload_store_unavailable", "R2 read failed", { cause });
  }
  if (!object) {
    throw new PermanentError(
      "payload_missing",
      `stored payload ${envelope.payloadRef.key} no longer exists`,
    );
  }
  return object.json();
}

/** Deletes stored payloads that match the filter from R2 and the index; returns the count. */
export async function deleteStoredPayloads(
  bucket: R2Bucket,
  db: Database,
  filter: { shop: string; customerId?: string; orderIds?: string[]; all?: boolean },
): Promise<number> {
  const subjects = [];
  if (filter.customerId) subjects.push(eq(storedPayloads.customerId, filter.customerId));
  if (filter.orderIds?.length) subjects.push(inArray(storedPayloads.orderId, filter.orderIds));
  if (!filter.all && subjects.length === 0) return 0;

  const where = filter.all
    ? eq(storedPayloads.shop, filter.shop)
    : and(eq(storedPayloads.shop, filter.shop), or(...subjects));
  const rows = await db.select({ key: storedPayloads.key }).from(storedPayloads).where(where);
  if (rows.length === 0) return 0;

  // R2 deletes up to 1,000 keys per call.
  const keys = rows.map((row) => row.key);
  for (let start = 0; start < keys.length; start += 1000) {
    await bucket.delete(keys.slice(start, start + 1000));
  }
  await db.delete(storedPayloads).where(where);
  return keys.length;
}
