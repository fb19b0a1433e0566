import type { Settings } from "../config/settings";
import type { Database } from "../db/client";
import { describeError, type Logger } from "../observability/logger";
import type { AlertChannel } from "./channel-config";
import { type AlertEvent, sendToChannel } from "./channels";
import {
  type AlertNotification,
  type AlertRow,
  alertsToNotify,
  notificationKey,
  notificationStates,
  saveNotification,
} from "./store";

/** How long after resolving an alert the cron still tries to deliver its resolve. */
const RESOLVE_LOOKBACK_MS = 24 * 3_600_000;
/** Cap on deliveries per run, so a backlog cannot outlast the minute between runs. */
const MAX_SENDS_PER_RUN = 50;
/** One delivery's time limit; a slow channel must not hold up the others. */
const SEND_TIMEOUT_MS = 5_000;

export interface NotifySummary {
  sent: number;
  failed: number;
  deferred: number;
}

/**
 * The channels alerts go to: ALERT_CHANNELS, plus ALERT_WEBHOOK_URL as a generic webhook
 * for every severity when set.
 */
export function configuredChannels(settings: Settings): AlertChannel[] {
  const channels = [...settings.ALERT_CHANNELS];
  if (settings.ALERT_WEBHOOK_URL) {
    channels.push({
      name: "alert-webhook-url",
      type: "webhook",
      url: settings.ALERT_WEBHOOK_URL,
      severities: ["page", "ticket"],
    });
  }
  return channels;
}

/**
 * Delivers what each channel is owed: a trigger for an open alert not yet delivered in its
 * current incident (or last delivered `renotifyMinutes` ago and not acknowledged), a resolve
 * for a resolved alert whose trigger went out. Never throws for a channel: a failed delivery
 * is recorded on the alert's notification row and retried on the next run.
 */
export async function notifyChannels(
  ctx: { db: Database; settings: Settings; logger: Logger },
  now = Date.now(),
): Promise<NotifySummary> {
  const summary: NotifySummary = { sent: 0, failed: 0, deferred: 0 };
  const channels = configuredChannels(ctx.settings);
  if (channels.length === 0) return summary;

  const alerts = await alertsToNotify(ctx.db, now - RESOLVE_LOOKBACK_MS);
  const states = await notificationStates(
    ctx.db,
    alerts.map((alert) => alert.id),
  );
  const renotifyMs = ctx.settings.ALERT_RULES.renotifyMinutes * 60_000;

  for (const alert of alerts) {
    for (const channel of channels) {
      if (!channel.severities.includes(alert.severity)) continue;
      const state = states.get(notificationKey(alert.id, channel.name));
      const event = owedEvent(alert, state, now, renotifyMs);
      if (!event) continue;
      if (summary.sent + summary.failed >= MAX_SENDS_PER_RUN) {
        summary.deferred += 1;
        continue;
      }
      const ok = await deliver(ctx, channel, event, alert, state, now);
      if (ok) summary.sent += 1;
      else summary.failed += 1;
    }
  }
  return summary;
}

/** What `channel` is owed about `alert`, given what it was told so far. */
export function owedEvent(
  alert: AlertRow,
  state: AlertNotification | undefined,
  now: number,
  renotifyMs: number,
): AlertEvent | undefined {
  if (alert.status === "open") {
    const openedAt = alert.openedAt ?? alert.firstSeenAt;
    const notifiedAt = state?.notifiedAt ?? null;
    if (notifiedAt === null || notifiedAt < openedAt) return "trigger";
    if (alert.acknowledgedAt !== null) return undefined;
    return now - notifiedAt >= renotifyMs ? "trigger" : undefined;
  }

  if (!state?.notifiedAt || alert.resolvedAt === null) return undefined;
  if (state.resolveSentAt !== null && state.resolveSentAt >= alert.resolvedAt) return undefined;
  return "resolve";
}

async function deliver(
  ctx: { db: Database; settings: Settings; logger: Logger },
  channel: AlertChannel,
  event: AlertEvent,
  alert: AlertRow,
  state: AlertNotification | undefined,
  now: number,
): Promise<boolean> {
  const previous = {
    alertId: alert.id,
    channel: channel.name,
    notifiedAt: state?.notifiedAt ?? null,
    resolveSentAt: state?.resolveSentAt ?? null,
    failures: state?.failures ?? 0,
    lastError: state?.lastError ?? null,
  };
  const log = ctx.logger.with({ alertId: alert.id, channel: channel.name, event });

  try {
    await sendToChannel(channel, event, alert, {
      hub: ctx.settings.HUB_ENV,
      timeoutMs: Math.min(SEND_TIMEOUT_MS, ctx.settings.CONNECTOR_TIMEOUT_MS),
    });
  } catch (error) {
    log.warn("alert notification failed; retrying next run", describeError(error));
    const lastError = error instanceof Error ? error.message : String(error);
    await saveNotification(
      ctx.db,
      { ...previous, failures: previous.failures + 1, lastError },
      now,
    );
    return false;
  }

  await saveNotification(
    ctx.db,
    {
      ...previous,
      ...(event === "trigger" ? { notifiedAt: now } : { resolveSentAt: now }),
      failures: 0,
      lastError: null,
    },
    now,
  );
  log.info("alert notification sent");
  return true;
}
