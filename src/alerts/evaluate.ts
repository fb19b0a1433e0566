import type { CronJob } from "../cron/job";
import { CronJobFailed } from "../cron/job";
import { metricsReader } from "../metrics/reader";
import { recordMetric } from "../metrics/record";
import { describeError } from "../observability/logger";
import { DOMAINS } from "../shopify/topics";
import { resolveFilledBackorders } from "./backorders";
import { notifyChannels } from "./notify";
import { raiseAlert } from "./raise";
import { ALL_RULES, type AlertRule, deadLetterDepths, type RuleContext } from "./rules";
import { resolveClearedAlerts } from "./store";

/**
 * The every-minute alerts job: samples dead-letter depth, runs every rule, raises what is
 * active, resolves what a rule no longer sees and the backorder tickets whose stock came,
 * then delivers to ALERT_CHANNELS. A rule that fails leaves its alerts as they are (it
 * cannot tell whether they cleared) and fails the run; a channel that fails never does —
 * its delivery is retried next run.
 */
export const evaluateAlerts: CronJob = async ({ env, settings, db, logger, scheduledTime }) => {
  const now = Math.max(scheduledTime, Date.now());
  const ctx: RuleContext = { env, settings, db, reader: metricsReader(env, settings), now };
  await sampleDeadLetterDepth(ctx);

  const rules: Record<string, string> = {};
  const active: string[] = [];
  const resolved: string[] = [];
  for (const rule of ALL_RULES) {
    const outcome = await runRule(rule, ctx);
    if (!outcome.ok) {
      logger.error("alert rule failed", { rule: rule.name, ...describeError(outcome.error) });
      rules[rule.name] = "failed";
      continue;
    }
    rules[rule.name] = `${outcome.keys.length} active`;
    active.push(...outcome.keys);
    resolved.push(...(await resolveClearedAlerts(db, rule.kinds, outcome.keys, now)));
  }
  try {
    resolved.push(...(await resolveFilledBackorders(env, db)));
    rules["backorders-filled"] = "checked";
  } catch (error) {
    logger.error("backorder re-check failed", describeError(error));
    rules["backorders-filled"] = "failed";
  }
  for (const key of resolved) logger.info("alert resolved", { alertKey: key });

  const notifications = await notifyChannels({ db, settings, logger }, now);
  const summary = { rules, active, resolved, notifications };
  if (Object.values(rules).includes("failed")) {
    throw new CronJobFailed("some alert rules failed", summary);
  }
  return summary;
};

async function runRule(
  rule: AlertRule,
  ctx: RuleContext,
): Promise<{ ok: true; keys: string[] } | { ok: false; error: unknown }> {
  try {
    const conditions = await rule.evaluate(ctx);
    for (const condition of conditions) await raiseAlert(ctx.env, condition, ctx.now);
    return { ok: true, keys: conditions.map((condition) => condition.key) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Records `dead_letters.open` for every domain, so the console can chart DLQ depth. */
async function sampleDeadLetterDepth(ctx: RuleContext): Promise<void> {
  const depths = await deadLetterDepths(ctx.db, ctx.now);
  for (const domain of DOMAINS) {
    recordMetric(ctx.env, {
      name: "dead_letters.open",
      value: depths.get(domain)?.now ?? 0,
      dimensions: { domain },
      at: ctx.now,
    });
  }
}
