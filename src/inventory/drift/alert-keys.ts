import { and, eq, like } from "drizzle-orm";
import { resolveAlert } from "../../alerts/raise";
import type { Database } from "../../db/client";
import { alerts } from "../../db/schema";
import type { PairReading } from "./classify";

/** The dedupe key of a pair's drift ticket. */
export function driftAlertKey(shop: string, sku: string, locationId: string): string {
  return `inventory_drift:${shop}:${sku}:${locationId}`;
}

/**
 * Resolves the open drift tickets of pairs this run checked and found in step (or
 * corrected), so a ticket stays open exactly while its drift does. Tickets of pairs the run
 * did not check (a SKU no longer mapped) stay as they are. Returns how many it resolved.
 * @throws when D1 cannot be read or written.
 */
export async function resolveClearedDriftAlerts(
  env: Cloudflare.Env,
  db: Database,
  shop: string,
  checked: PairReading[],
  stillAlerted: Set<string>,
): Promise<number> {
  const prefix = `inventory_drift:${shop}:`;
  const open = await db
    .select({ key: alerts.dedupeKey })
    .from(alerts)
    .where(
      and(
        eq(alerts.kind, "reconciliation_drift"),
        eq(alerts.status, "open"),
        eq(alerts.shop, shop),
        // `_` in the prefix matches any character: a superset, narrowed by the exact keys below.
        like(alerts.dedupeKey, `${prefix}%`),
      ),
    );
  if (open.length === 0) return 0;

  const checkedKeys = new Set(
    checked.map((pair) => driftAlertKey(shop, pair.sku, pair.locationId)),
  );
  let resolved = 0;
  for (const { key } of open) {
    if (!checkedKeys.has(key) || stillAlerted.has(key)) continue;
    if (await resolveAlert(env, key)) resolved += 1;
  }
  return resolved;
}
