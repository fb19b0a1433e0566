import { raiseAlert } from "../../alerts/raise";
import type { Database } from "../../db/client";
import {
  finishDriftRun,
  type NewDriftFinding,
  recordDriftFindings,
  startDriftRun,
} from "../../db/inventory-drift";
import { recordInventoryDrift, recordReconciliationResult } from "../../metrics/hooks";
import type { AdminContext } from "../../shopify/admin/run-operation";
import { driftAlertKey, resolveClearedDriftAlerts } from "./alert-keys";
import { classifyDrift, type DriftFinding } from "./classify";
import { correctDrift } from "./correct";
import { readShopPairs } from "./read-pairs";

/** The job name metrics and alerts carry. */
export const SANITY_CHECK_JOB = "inventory-sanity-check";

/** What one shop's check found and did. */
export interface ShopDriftSummary {
  shop: string;
  runId: string;
  checked: number;
  drifted: number;
  corrected: number;
  alerted: number;
  /** Drift tickets of earlier runs closed because their pair is in step now. */
  resolved: number;
  mutations: number;
}

/**
 * The nightly sanity check of one shop: compares Shopify's `available` with the hub's ATS
 * for every mapped SKU and location, records every disagreement in `inventory_drift`,
 * pushes the hub's ATS where the difference is within `tolerance` (or the hub's own push
 * is owed), and raises a ticket per pair above it. Running it again finds what the first
 * run left: nothing for corrected pairs, the same (deduplicated) tickets for the others.
 * @throws what reading or pushing throws; the run is then recorded as failed.
 */
export async function checkShopInventory(
  ctx: AdminContext & { db: Database },
  shop: string,
  tolerance: number,
): Promise<ShopDriftSummary> {
  const runId = await startDriftRun(ctx.db, shop, tolerance);
  try {
    const readings = await readShopPairs(ctx, shop);
    const findings = readings.flatMap((reading) => classifyDrift(reading, tolerance) ?? []);
    const now = Date.now();
    await recordDriftFindings(
      ctx.db,
      runId,
      shop,
      findings.map((f) => toRow(f, now)),
    );

    const pushed = await correctDrift(ctx, shop, runId, findings);
    const alerted = findings.filter((finding) => finding.action === "alerted");
    for (const finding of alerted) await raiseDriftAlert(ctx.env, shop, runId, finding);
    const alertedKeys = new Set(alerted.map((f) => driftAlertKey(shop, f.sku, f.locationId)));
    const resolved = await resolveClearedDriftAlerts(ctx.env, ctx.db, shop, readings, alertedKeys);

    const counts = {
      checked: readings.length,
      drifted: findings.length,
      corrected: findings.length - alerted.length,
      alerted: alerted.length,
    };
    await finishDriftRun(ctx.db, runId, { status: "succeeded", ...counts });
    const summary = { shop, runId, ...counts, resolved, mutations: pushed?.mutations ?? 0 };
    recordMetrics(ctx.env, summary, findings);
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishDriftRun(ctx.db, runId, { status: "failed", error: message });
    throw error;
  }
}

function toRow(finding: DriftFinding, checkedAt: number): NewDriftFinding {
  return {
    sku: finding.sku,
    locationId: finding.locationId,
    shopify: finding.shopify,
    hub: finding.hub,
    omsSnapshot: finding.omsSnapshot,
    drift: finding.drift,
    action: finding.action,
    checkedAt,
  };
}

async function raiseDriftAlert(
  env: Cloudflare.Env,
  shop: string,
  runId: string,
  finding: DriftFinding,
): Promise<void> {
  await raiseAlert(env, {
    kind: "reconciliation_drift",
    severity: "ticket",
    key: driftAlertKey(shop, finding.sku, finding.locationId),
    shop,
    detail: {
      job: SANITY_CHECK_JOB,
      runId,
      sku: finding.sku,
      locationId: finding.locationId,
      shopify: finding.shopify,
      hub: finding.hub,
      omsSnapshot: finding.omsSnapshot,
      drift: finding.drift,
    },
    summary:
      `Shopify shows ${finding.shopify ?? "no level"} of ${finding.sku} at ${finding.locationId}; the hub has ${finding.hub}`.slice(
        0,
        300,
      ),
  });
}

function recordMetrics(env: Cloudflare.Env, summary: ShopDriftSummary, findings: DriftFinding[]) {
  for (const finding of findings) {
    recordInventoryDrift(env, {
      shop: summary.shop,
      drift: finding.drift,
      source: SANITY_CHECK_JOB,
    });
  }
  const outcomes = {
    matched: summary.checked - summary.drifted,
    repaired: summary.corrected,
    drift: summary.alerted,
  };
  for (const [outcome, count] of Object.entries(outcomes)) {
    recordReconciliationResult(env, { shop: summary.shop, job: SANITY_CHECK_JOB, outcome, count });
  }
}
