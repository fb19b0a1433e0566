import { eq, gt, or, sql } from "drizzle-orm";
import type { Settings } from "../config/settings";
import { breakerFor, ConnectorNameSchema, isConfigured } from "../connectors/breaker";
import { ORDER_CONNECTORS } from "../connectors/config";
import type { Database } from "../db/client";
import { deadLetters } from "../db/schema";
import type { BreakerSnapshot } from "../durable-objects/circuit-breaker";
import type { MetricsReader } from "../metrics/reader";
import type { Alert } from "./raise";

/** What a rule needs to look at the hub. */
export interface RuleContext {
  env: Cloudflare.Env;
  settings: Settings;
  db: Database;
  reader: MetricsReader;
  now: number;
}

/** A condition a rule sees right now; raised as an alert with this key. */
export type Condition = Alert & { summary: string };

/**
 * One alert rule: the alert kinds it owns (it resolves their open alerts once it no longer
 * sees them) and how it finds its active conditions.
 */
export interface AlertRule {
  name: string;
  kinds: readonly Alert["kind"][];
  evaluate(ctx: RuleContext): Promise<Condition[]>;
}

const MINUTE_MS = 60_000;

/** Pages while open dead letters in the orders domain reach ALERT_RULES.orderDeadLetters. */
export const orderDeadLetterRule: AlertRule = {
  name: "order-dead-letters",
  kinds: ["order_export_failures"],
  async evaluate({ db, settings }) {
    const [row] = await db
      .select({
        open: sql<number>`COUNT(*)`,
        oldest: sql<number | null>`MIN(${deadLetters.createdAt})`,
      })
      .from(deadLetters)
      .where(sql`${deadLetters.status} = 'open' AND ${deadLetters.domain} = 'orders'`);
    const open = row?.open ?? 0;
    if (open < settings.ALERT_RULES.orderDeadLetters) return [];
    return [
      {
        kind: "order_export_failures",
        severity: "page",
        key: "order_export_failures",
        summary: `${open} order event(s) parked as dead letters need an operator`,
        detail: { openDeadLetters: open, oldestAt: row?.oldest ? iso(row.oldest) : null },
      },
    ];
  },
};

/** Pages per connector whose order export failure rate crosses the threshold. */
export const exportErrorRateRule: AlertRule = {
  name: "order-export-error-rate",
  kinds: ["order_export_error_rate"],
  async evaluate({ settings, reader, now }) {
    const rule = settings.ALERT_RULES.exportErrorRate;
    const since = now - rule.windowMinutes * MINUTE_MS;
    const connectors = ORDER_CONNECTORS.filter((name) => isConfigured(settings, name));

    const conditions: Condition[] = [];
    for (const integration of connectors) {
      const scope = { name: "order.export.outcome" as const, since, until: now + 1 };
      const all = await reader.totals({ ...scope, filter: { integration } });
      if (all.count < rule.minCalls) continue;
      const failed = await reader.totals({ ...scope, filter: { integration, outcome: "failed" } });
      const percent = (failed.count * 100) / all.count;
      if (percent < rule.maxFailurePercent) continue;
      conditions.push({
        kind: "order_export_error_rate",
        severity: "page",
        key: `order_export_error_rate:${integration}`,
        summary: `${integration} order exports failing: ${percent.toFixed(1)}% of ${all.count} in ${rule.windowMinutes} min`,
        detail: {
          integration,
          failed: failed.count,
          total: all.count,
          windowMinutes: rule.windowMinutes,
        },
      });
    }
    return conditions;
  },
};

/** Open dead letters per domain now and at `earlier` (epoch ms). */
export async function deadLetterDepths(
  db: Database,
  earlier: number,
): Promise<Map<string, { now: number; before: number }>> {
  const rows = await db
    .select({
      domain: deadLetters.domain,
      now: sql<number>`SUM(CASE WHEN ${deadLetters.status} = 'open' THEN 1 ELSE 0 END)`,
      // A row was open at `earlier` if it existed and has not left `open` since (rows only
      // leave `open`, and leaving stamps `updated_at`).
      before: sql<number>`SUM(CASE WHEN ${deadLetters.createdAt} <= ${earlier} AND (${deadLetters.status} = 'open' OR ${deadLetters.updatedAt} > ${earlier}) THEN 1 ELSE 0 END)`,
    })
    .from(deadLetters)
    .where(or(eq(deadLetters.status, "open"), gt(deadLetters.updatedAt, earlier)))
    .groupBy(deadLetters.domain);
  return new Map(rows.map((row) => [row.domain, { now: row.now, before: row.before }]));
}

/** Pages per domain whose open dead letters grew by `minIncrease` within the window. */
export const deadLetterGrowthRule: AlertRule = {
  name: "dead-letter-growth",
  kinds: ["dead_letter_growth"],
  async evaluate({ db, settings, now }) {
    const rule = settings.ALERT_RULES.deadLetterGrowth;
    const depths = await deadLetterDepths(db, now - rule.windowMinutes * MINUTE_MS);
    return [...depths]
      .filter(([, depth]) => depth.now - depth.before >= rule.minIncrease)
      .map(([domain, depth]) => ({
        kind: "dead_letter_growth" as const,
        severity: "page" as const,
        key: `dead_letter_growth:${domain}`,
        summary: `${domain} dead letters grew from ${depth.before} to ${depth.now} in ${rule.windowMinutes} min`,
        detail: {
          domain,
          openNow: depth.now,
          openBefore: depth.before,
          windowMinutes: rule.windowMinutes,
        },
      }));
  },
};

/** Pages per connector whose breaker has not been closed for `breakerOpenMinutes`. */
export const breakerOpenRule: AlertRule = {
  name: "breaker-open",
  kinds: ["breaker_open"],
  async evaluate({ env, settings, now }) {
    const limitMs = settings.ALERT_RULES.breakerOpenMinutes * MINUTE_MS;
    const connectors = ConnectorNameSchema.options.filter((name) => isConfigured(settings, name));

    const conditions: Condition[] = [];
    for (const connector of connectors) {
      const snapshot = await breakerFor(env, connector).snapshot();
      const leftClosedAt = notClosedSince(snapshot);
      if (leftClosedAt === undefined || now - leftClosedAt < limitMs) continue;
      const minutes = Math.floor((now - leftClosedAt) / MINUTE_MS);
      conditions.push({
        kind: "breaker_open",
        severity: "page",
        key: `breaker_open:${connector}`,
        summary: `${connector} circuit breaker not closed for ${minutes} min`,
        detail: { connector, state: snapshot.state, notClosedSince: iso(leftClosedAt) },
      });
    }
    return conditions;
  },
};

/**
 * When the breaker last left `closed`, epoch ms; undefined when it is closed. An open
 * breaker flips between open and half-open while the connector stays down, so the time
 * in the current state alone would never reach the limit.
 */
export function notClosedSince(snapshot: BreakerSnapshot): number | undefined {
  if (snapshot.state === "closed") return undefined;
  const left = snapshot.transitions.find((transition) => transition.from === "closed");
  const oldest = snapshot.transitions.at(-1);
  return Date.parse(left?.at ?? oldest?.at ?? snapshot.since);
}

/** Every rule the alerts cron runs, in order. */
export const ALL_RULES: readonly AlertRule[] = [
  orderDeadLetterRule,
  exportErrorRateRule,
  deadLetterGrowthRule,
  breakerOpenRule,
];

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
