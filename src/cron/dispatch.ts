import { loadSettings } from "../config/settings";
import { openDatabase } from "../db/client";
import { finishCronRun, startCronRun } from "../db/cron-runs";
import { createLogger, describeError } from "../observability/logger";
import { purgeExpired } from "./retention";

/** Each cron expression in wrangler.toml's `triggers.crons` and the job it runs. */
const JOBS: Record<string, string> = {
  "0 3 * * *": "retention-purge",
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
  const logger = createLogger(settings.LOG_LEVEL, { cron: controller.cron, job: job ?? "unknown" });

  if (!job) {
    logger.error("no job is mapped to this cron expression");
    return;
  }

  const runId = await startCronRun(db, job, controller.scheduledTime);
  try {
    const summary = await purgeExpired(env, db, settings);
    await finishCronRun(db, runId, { status: "succeeded", summary });
    logger.info("cron run succeeded", summary);
  } catch (error) {
    await finishCronRun(db, runId, { status: "failed", summary: describeError(error) });
    logger.error("cron run failed", describeError(error));
    throw error;
  }
}
