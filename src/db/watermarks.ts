import { and, eq, lt } from "drizzle-orm";
import type { Database } from "./client";
import { watermarks } from "./schema";

/** Per shop, the jobs that keep a watermark. */
export type WatermarkJob = "orders-reconciliation" | "payouts-reconciliation";

/** How far `job` has looked for `shop` (an ISO-8601 timestamp), or undefined on first run. */
export async function readWatermark(
  db: Database,
  shop: string,
  job: WatermarkJob,
): Promise<string | undefined> {
  const [row] = await db
    .select({ value: watermarks.value })
    .from(watermarks)
    .where(and(eq(watermarks.shop, shop), eq(watermarks.job, job)));
  return row?.value;
}

/**
 * Moves the watermark forward to `value`; a value at or before the stored one changes
 * nothing, so two overlapping runs cannot move it back. Values are `toISOString()` output,
 * whose text order is time order.
 */
export async function writeWatermark(
  db: Database,
  shop: string,
  job: WatermarkJob,
  value: string,
  now = Date.now(),
): Promise<void> {
  await db
    .insert(watermarks)
    .values({ shop, job, value, updatedAt: now })
    .onConflictDoUpdate({
      target: [watermarks.shop, watermarks.job],
      set: { value, updatedAt: now },
      setWhere: lt(watermarks.value, value),
    });
}
