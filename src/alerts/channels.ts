import { RetryableError } from "../queues/errors";
import type { AlertChannel } from "./channel-config";
import type { AlertRow } from "./store";

export type AlertEvent = "trigger" | "resolve";

/** PagerDuty's limits for `payload.summary` and `dedup_key`. */
const PAGERDUTY_SUMMARY_MAX = 1024;
const PAGERDUTY_DEDUP_MAX = 255;

/** The line people read: the alert's summary, or its kind and key. */
export function alertSummary(alert: AlertRow): string {
  return alert.summary ?? `${alert.kind}: ${alert.dedupeKey}`;
}

/**
 * The JSON body `channel` receives for `event`:
 * - `webhook`: `{event, hub, alert: {...}}` (docs/observability.md lists the fields);
 * - `slack`: `{text}`, one line, as incoming webhooks take it;
 * - `pagerduty`: an Events API v2 event; the alert's key is the `dedup_key`, so PagerDuty
 *   folds repeats into one incident and a resolve closes it.
 */
export function channelBody(
  channel: AlertChannel,
  event: AlertEvent,
  alert: AlertRow,
  hub: string,
): unknown {
  switch (channel.type) {
    case "webhook":
      return { event, hub, alert: describeAlert(alert) };
    case "slack":
      return { text: slackText(event, alert, hub) };
    case "pagerduty":
      return pagerDutyEvent(channel.routingKey, event, alert, hub);
  }
}

/**
 * Posts one event to one channel. Exactly one attempt: the alerts cron retries on its
 * next run.
 * @throws {RetryableError} on network failures, timeouts and non-2xx answers.
 */
export async function sendToChannel(
  channel: AlertChannel,
  event: AlertEvent,
  alert: AlertRow,
  options: { hub: string; timeoutMs: number },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(channel.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(channelBody(channel, event, alert, options.hub)),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (cause) {
    throw new RetryableError("alert_channel_unreachable", `${channel.name} unreachable`, { cause });
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new RetryableError("alert_channel_failed", `${channel.name} answered ${response.status}`);
  }
}

function describeAlert(alert: AlertRow) {
  return {
    id: alert.id,
    key: alert.dedupeKey,
    kind: alert.kind,
    severity: alert.severity,
    status: alert.status,
    shop: alert.shop,
    summary: alertSummary(alert),
    detail: parseAlertDetail(alert.detail),
    occurrences: alert.occurrences,
    openedAt: iso(alert.openedAt ?? alert.firstSeenAt),
    lastSeenAt: iso(alert.lastSeenAt),
    resolvedAt: alert.resolvedAt === null ? null : iso(alert.resolvedAt),
    acknowledgedBy: alert.acknowledgedBy,
  };
}

function slackText(event: AlertEvent, alert: AlertRow, hub: string): string {
  const what = event === "trigger" ? `${alert.severity.toUpperCase()} triggered` : "resolved";
  const shop = alert.shop ? ` — ${alert.shop}` : "";
  return `[${hub}] ${what}: ${alertSummary(alert)}${shop} (${alert.dedupeKey})`;
}

function pagerDutyEvent(routingKey: string, event: AlertEvent, alert: AlertRow, hub: string) {
  const dedupKey = alert.dedupeKey.slice(0, PAGERDUTY_DEDUP_MAX);
  if (event === "resolve") {
    return { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey };
  }
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: alertSummary(alert).slice(0, PAGERDUTY_SUMMARY_MAX),
      severity: alert.severity === "page" ? "critical" : "warning",
      source: `shopify-edge-hub/${hub}`,
      component: alert.kind,
      ...(alert.shop ? { group: alert.shop } : {}),
      custom_details: parseAlertDetail(alert.detail),
    },
  };
}

/** An alert's stored `detail` JSON, as an object. */
export function parseAlertDetail(detail: string): unknown {
  try {
    return JSON.parse(detail);
  } catch {
    // Rows are written by raiseAlert with JSON.stringify; a hand-edited row still shows.
    return { raw: detail };
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
