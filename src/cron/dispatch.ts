import { evaluateAlerts } from "../alerts/evaluate";
import { auditConfigChanges } from "../audit/config-changes";
import { loadSettings } from "../config/settings";
import { openDatabase } from "../db/client";
import { finishCronRun, startCronRun } from "../db/cron-runs";
import { flushMetrics, recordMetric } from "../metrics/record";
import { createLogger, describeError } from "../observability/logger";
import { refreshInventoryMapping } from "./inventory-mapping";
import { checkInventoryDrift } from "./inventory-sanity-check";
import { type CronJob, CronJobFailed } from "./job";
import { reconcileMissedOrders } from "./order-reconciliation";
import { reconcilePayouts } from "./payout-reconciliation";
import { importPriceBookJob, publishPendingPriceBooks } from "./price-books";
import { purgeExpired } from "./retention";

/** Each cron expression in wrangler.toml's `triggers.crons` and the job it runs. */
const JOBS: Record<string, { name: string; run: CronJob }> = {
  "0 3 * * *": {
    name: "retention-purge",
    run: async ({ env, db, settings, logger }) => {
      const summary = await purgeExpired(env, db, settings, logger);
      logger.info("retention purge done", summary);
      return summary;
    },
  },
  "*/10 * * * *": { name: "orders-reconciliation", run: reconcileMissedOrders },
  "30 4 * * *": { name: "payouts-reconciliation", run: reconcilePayouts },
  "30 1 * * *": { name: "price-books-import", run: importPriceBookJob },
  "*/5 * * * *": { name: "price-books-publish", run: publishPendingPriceBooks },
  "* * * * *": { name: "alerts", run: evaluateAlerts },
  "30 2 * * *": { name: "inventory-mapping-refresh", run: refreshInventoryMapping },
  "0 4 * * *": { name: "inventory-sanity-check", run: checkInventoryDrift },
};

/**
 * The Worker's `scheduled()` entry. Records every run in `cron_runs`; a failed run is
 * recorded and rethrown so Workers marks the invocation failed.
 */
export async function runScheduled(
  controller: ScheduledController,
  env: Cloudflare.Env,
): Promise<void> {
  const settings = loadSettings(env);
  const db = openDatabase(env.DB);
  const job = JOBS[controller.cron];
  const logger = createLogger(settings.LOG_LEVEL, {
    cron: controller.cron,
    job: job?.name ?? "unknown",
  });

  if (!job) {
    logger.error("no job is mapped to this cron expression");
    return;
  }

  // Every run (the alert cron runs each minute) first audits a deploy that changed the
  // settings; a failure here is logged and retried by the next run, never fails the job.
  await auditConfigChanges(db, env).then(
    (outcome) => outcome === "changed" && logger.info("configuration change audited"),
    (error: unknown) => logger.error("configuration audit failed", describeError(error)),
  );

  const runId = await startCronRun(db, job.name, controller.scheduledTime);
  const started = Date.now();
  const recordRun = (outcome: string) =>
    recordMetric(env, {
      name: "cron.run",
      value: Date.now() - started,
      dimensions: { job: job.name, outcome },
    });
  try {
    const scheduledTime = controller.scheduledTime;
    const summary = await job.run({ env, settings, db, logger, scheduledTime });
    await finishCronRun(db, runId, { status: "succeeded", summary });
    recordRun("succeeded");
    logger.info("cron run succeeded", { runId });
  } catch (error) {
    const summary = error instanceof CronJobFailed ? error.summary : describeError(error);
    await finishCronRun(db, runId, { status: "failed", summary });
    recordRun("failed");
    logger.error("cron run failed", describeError(error));
    throw error;
  } finally {
    await flushMetrics(env);
  }
}
