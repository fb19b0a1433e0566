import type { Settings } from "../config/settings";
import type { Database } from "../db/client";
import { purgeExpiredOauthStates } from "../db/oauth-states";
import { describeError, type LogFields, type Logger } from "../observability/logger";
import type { PurgeCount } from "../retention/chunked-delete";
import {
  purgeComplianceExports,
  purgeDeadLetters,
  purgeOrderEvents,
  purgeStoredPayloads,
} from "../retention/personal-data";
import { retentionCutoffs } from "../retention/policy";
import {
  purgeCronRuns,
  purgeMetrics,
  purgeOrderEffects,
  purgeOrderTargets,
  purgeReceipts,
} from "../retention/records";
import { CronJobFailed } from "./job";

/**
 * What a purge did, as `cron_runs.summary` keeps it: rows or objects deleted per kind,
 * the kinds with more left past their cutoff (the next night goes on), and the kinds whose
 * purge failed.
 */
export interface RetentionSummary extends LogFields {
  orderEventsDeleted: number;
  deadLettersDeleted: number;
  storedWebhooksDeleted: number;
  complianceExportsDeleted: number;
  receiptsDeleted: number;
  orderTargetsDeleted: number;
  orderEffectsDeleted: number;
  metricsDeleted: number;
  cronRunsDeleted: number;
  oauthStatesDeleted: number;
  /** Comma-separated kinds that stopped at the per-run cap. */
  incomplete: string;
  /** Comma-separated kinds whose purge threw; their errors are logged. */
  failed: string;
}

type Step = readonly [
  kind: keyof RetentionSummary & `${string}Deleted`,
  purge: () => Promise<PurgeCount>,
];

/**
 * The nightly retention purge: every kind of record past its configured retention, personal
 * data first (order envelopes, dead letters, stored webhooks, customer data exports), then
 * the bookkeeping. One kind failing does not stop the others; the run then fails with the
 * summary of what was done. Idempotent: a repeated run finds nothing more to delete.
 * The audit log is never purged: it is append-only and hash-chained.
 * @throws {CronJobFailed} when any kind's purge failed.
 */
export async function purgeExpired(
  env: Cloudflare.Env,
  db: Database,
  settings: Settings,
  logger: Logger,
  now = Date.now(),
): Promise<RetentionSummary> {
  const cutoff = retentionCutoffs(settings, now);

  const steps: Step[] = [
    ["orderEventsDeleted", () => purgeOrderEvents(db, cutoff.orderEvents)],
    ["deadLettersDeleted", () => purgeDeadLetters(db, cutoff.deadLetters)],
    ["storedWebhooksDeleted", () => purgeStoredPayloads(env.PAYLOADS, db, cutoff.receipts)],
    [
      "complianceExportsDeleted",
      () => purgeComplianceExports(env.PAYLOADS, cutoff.complianceExports),
    ],
    ["receiptsDeleted", () => purgeReceipts(db, cutoff.receipts)],
    ["orderEffectsDeleted", () => purgeOrderEffects(db, cutoff.orderLedger)],
    ["orderTargetsDeleted", () => purgeOrderTargets(db, cutoff.orderLedger)],
    ["metricsDeleted", () => purgeMetrics(db, cutoff.metrics)],
    ["cronRunsDeleted", () => purgeCronRuns(db, cutoff.cronRuns)],
    [
      "oauthStatesDeleted",
      async () => ({ deleted: await purgeExpiredOauthStates(db, now), complete: true }),
    ],
  ];

  const summary: RetentionSummary = {
    orderEventsDeleted: 0,
    deadLettersDeleted: 0,
    storedWebhooksDeleted: 0,
    complianceExportsDeleted: 0,
    receiptsDeleted: 0,
    orderTargetsDeleted: 0,
    orderEffectsDeleted: 0,
    metricsDeleted: 0,
    cronRunsDeleted: 0,
    oauthStatesDeleted: 0,
    incomplete: "",
    failed: "",
  };
  const incomplete: string[] = [];
  const failed: string[] = [];

  for (const [kind, purge] of steps) {
    try {
      const count = await purge();
      summary[kind] = count.deleted;
      if (!count.complete) incomplete.push(kind);
    } catch (error) {
      failed.push(kind);
      logger.error("retention purge step failed", { step: kind, ...describeError(error) });
    }
  }

  summary.incomplete = incomplete.join(",");
  summary.failed = failed.join(",");
  if (failed.length)
    throw new CronJobFailed(`retention purge failed for ${summary.failed}`, summary);
  return summary;
}
