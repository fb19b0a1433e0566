import type { Settings } from "../config/settings";
import type { Database } from "../db/client";
import type { Logger } from "../observability/logger";

/** What a scheduled job gets from the dispatcher. */
export interface CronContext {
  env: Cloudflare.Env;
  settings: Settings;
  db: Database;
  /** Carries the cron expression and the job name. */
  logger: Logger;
  /** The trigger's scheduled time, epoch ms. */
  scheduledTime: number;
}

/**
 * One scheduled job. Resolves with a JSON summary that `cron_runs.summary` keeps; throws
 * to record the run as failed. Must be idempotent: a cron may be late or fire twice.
 */
export type CronJob = (ctx: CronContext) => Promise<unknown>;

/**
 * A job that did part of its work and failed the rest (one shop of several, say): the run
 * is recorded as failed with `summary`, which says what was done and what was not.
 */
export class CronJobFailed extends Error {
  override readonly name = "CronJobFailed";

  constructor(
    message: string,
    readonly summary: unknown,
  ) {
    super(message);
  }
}
