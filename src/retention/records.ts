import { and, inArray, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { metricBuckets, metricRollups } from "../db/metrics-schema";
import { cronRuns, orderExports, orderTargets, webhookReceipts } from "../db/schema";
import { deleteInChunks, type PurgeCount } from "./chunked-delete";

/** Webhook receipts (the edge dedupe ledger) received before `cutoff`. */
export function purgeReceipts(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(db, webhookReceipts, lt(webhookReceipts.receivedAt, cutoff));
}

/**
 * The order export ledger's settled effects untouched since `cutoff`. Effects still in
 * flight (sending, awaiting an ack) stay whatever their age, for an operator to resolve.
 */
export function purgeOrderEffects(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(
    db,
    orderExports,
    and(
      lt(orderExports.updatedAt, cutoff),
      inArray(orderExports.status, ["exported", "rejected", "superseded", "failed"]),
    ),
  );
}

/**
 * Orders exported (or rejected) and untouched since `cutoff`. A pending order stays: deleting
 * it would let a late event export the order again as new.
 */
export function purgeOrderTargets(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(
    db,
    orderTargets,
    and(lt(orderTargets.updatedAt, cutoff), inArray(orderTargets.status, ["exported", "rejected"])),
  );
}

/** Finished cron runs started before `cutoff`. */
export function purgeCronRuns(db: Database, cutoff: number): Promise<PurgeCount> {
  return deleteInChunks(
    db,
    cronRuns,
    and(lt(cronRuns.startedAt, cutoff), inArray(cronRuns.status, ["succeeded", "failed"])),
  );
}

/** Per-minute metric rollups and their histogram buckets for minutes before `cutoff`. */
export async function purgeMetrics(db: Database, cutoff: number): Promise<PurgeCount> {
  const buckets = await deleteInChunks(db, metricBuckets, lt(metricBuckets.minute, cutoff));
  const rollups = await deleteInChunks(db, metricRollups, lt(metricRollups.minute, cutoff));
  return {
    deleted: buckets.deleted + rollups.deleted,
    complete: buckets.complete && rollups.complete,
  };
}
