import { asc, inArray, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { deadLetters, orderEvents, storedPayloads } from "../db/schema";
import { deleteInChunks, MAX_DELETES_PER_TABLE, type PurgeCount } from "./chunked-delete";

// R2's delete takes at most 1,000 keys per call, and list returns at most 1,000 per page.
const R2_KEYS_PER_CALL = 1000;

/** Kept order envelopes (names, addresses, emails) not refreshed since `cutoff`. */
export function purgeOrderEvents(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(db, orderEvents, lt(orderEvents.updatedAt, cutoff));
}

/**
 * Dead letters created before `cutoff`, whatever their status: their envelopes carry the
 * webhook payload, so an unreplayed one is personal data kept too long as well.
 */
export function purgeDeadLetters(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(db, deadLetters, lt(deadLetters.createdAt, cutoff));
}

/**
 * Large webhook payloads stored in R2 before `cutoff`: each object first, then its row, so
 * a failure leaves a row that the next run retries rather than an object nothing points to.
 */
export async function purgeStoredPayloads(
  bucket: R2Bucket,
  db: Database,
  cutoff: number,
): Promise<PurgeCount> {
  let deleted = 0;
  for (let round = 0; round < MAX_DELETES_PER_TABLE; round += 1) {
    const rows = await db
      .select({ key: storedPayloads.key })
      .from(storedPayloads)
      .where(lt(storedPayloads.createdAt, cutoff))
      .orderBy(asc(storedPayloads.createdAt))
      .limit(R2_KEYS_PER_CALL);
    const keys = rows.map((row) => row.key);
    if (keys.length === 0) return { deleted, complete: true };

    await bucket.delete(keys);
    // 1,000 keys exceed D1's 100 bound parameters per statement.
    for (let start = 0; start < keys.length; start += 90) {
      await db
        .delete(storedPayloads)
        .where(inArray(storedPayloads.key, keys.slice(start, start + 90)));
    }
    deleted += keys.length;
    if (keys.length < R2_KEYS_PER_CALL) return { deleted, complete: true };
  }
  return { deleted, complete: false };
}

/** Where `customers/data_request` exports live (src/compliance/data-request.ts). */
export const COMPLIANCE_EXPORT_PREFIX = "compliance/";

/**
 * Customer data exports uploaded to R2 before `cutoff`. The merchant has had them for the
 * retention period; `GET .../export` answers 410 `export_gone` afterwards.
 */
export async function purgeComplianceExports(
  bucket: R2Bucket,
  cutoff: number,
): Promise<PurgeCount> {
  let deleted = 0;
  let cursor: string | undefined;
  for (let round = 0; round < MAX_DELETES_PER_TABLE; round += 1) {
    const page = await bucket.list({
      prefix: COMPLIANCE_EXPORT_PREFIX,
      limit: R2_KEYS_PER_CALL,
      ...(cursor ? { cursor } : {}),
    });
    const expired = page.objects
      .filter((object) => object.uploaded.getTime() < cutoff)
      .map((object) => object.key);
    if (expired.length) await bucket.delete(expired);
    deleted += expired.length;

    if (!page.truncated) return { deleted, complete: true };
    cursor = page.cursor;
  }
  return { deleted, complete: false };
}
