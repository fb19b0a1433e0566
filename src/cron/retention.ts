import { lt } from "drizzle-orm";
import type { Settings } from "../config/settings";
import type { Database } from "../db/client";
import { purgeReceipts } from "../db/receipts";
import { storedPayloads } from "../db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes webhook receipts and stored payloads older than RECEIPT_RETENTION_DAYS. Stored
 * payloads carry PII, so they go first. Idempotent: a repeated run finds nothing to do.
 */
export async function purgeExpired(
  env: Cloudflare.Env,
  db: Database,
  settings: Settings,
  now = Date.now(),
): Promise<{ storedPayloadsDeleted: number; receiptsDeleted: number }> {
  const cutoff = now - settings.RECEIPT_RETENTION_DAYS * DAY_MS;

  const expired = await db
    .select({ key: storedPayloads.key })
    .from(storedPayloads)
    .where(lt(storedPayloads.createdAt, cutoff));
  const keys = expired.map((row) => row.key);
  for (let start = 0; start < keys.length; start += 1000) {
    await env.PAYLOADS.delete(keys.slice(start, start + 1000));
  }
  if (keys.length) await db.delete(storedPayloads).where(lt(storedPayloads.createdAt, cutoff));

  const receiptsDeleted = await purgeReceipts(db, cutoff);
  return { storedPayloadsDeleted: keys.length, receiptsDeleted };
}
