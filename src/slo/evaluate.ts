import { z } from "zod";
import type { MetricScope, MetricsReader } from "../metrics/reader";
import type { SloDefinition } from "./config";

/** The report windows `GET /admin/api/slo` accepts, in seconds. */
export const SLO_WINDOWS = { "1h": 3_600, "24h": 86_400, "7d": 604_800, "30d": 2_592_000 } as const;
export const SloWindowSchema = z.enum(["1h", "24h", "7d", "30d"]);
export type SloWindow = z.infer<typeof SloWindowSchema>;

export type SloStatus = "ok" | "warning" | "breach" | "no_data";

/** Share of the error budget used in the window from which an SLO shows a warning. */
export const WARNING_BURN = 0.75;
/** Share of its maximum age a freshness objective may reach before it shows a warning. */
export const FRESHNESS_WARNING_BURN = 0.95;
// How far back a freshness objective looks for its last success, whatever the window.
const FRESHNESS_LOOKBACK_MS = 30 * 86_400_000;

/** One SLO's standing over a window, as `GET /admin/api/slo` reports it. */
export interface SloReport {
  id: string;
  title: string;
  area: SloDefinition["area"];
  kind: SloDefinition["kind"];
  metric: SloDefinition["metric"];
  /** Required share of good events (1 for freshness). */
  target: number;
  /** Share of good events in the window; null without data. */
  attained: number | null;
  good: number;
  total: number;
  /** 1 − burnRate, at least 0; null without data. */
  errorBudgetRemaining: number | null;
  /** Bad share ÷ allowed bad share (for freshness: age ÷ maximum age); null without data. */
  burnRate: number | null;
  status: SloStatus;
  /** Freshness only: when the newest good observation was recorded, ISO-8601. */
  lastSeenAt?: string | null;
}

/** Evaluates each SLO over the `window` ending at `now`. */
export async function evaluateSlos(
  reader: MetricsReader,
  slos: readonly SloDefinition[],
  window: SloWindow,
  now = Date.now(),
): Promise<SloReport[]> {
  const since = now - SLO_WINDOWS[window] * 1000;
  return Promise.all(slos.map((slo) => evaluateSlo(reader, slo, since, now)));
}

async function evaluateSlo(
  reader: MetricsReader,
  slo: SloDefinition,
  since: number,
  now: number,
): Promise<SloReport> {
  const scope: MetricScope = { name: slo.metric, since, until: now + 1, filter: slo.filter };
  const base = { id: slo.id, title: slo.title, area: slo.area, kind: slo.kind, metric: slo.metric };

  switch (slo.kind) {
    case "threshold": {
      const totals = await reader.totals(scope, slo.maxValue);
      return { ...base, ...ratioReport(totals.atMost ?? 0, totals.count, slo.target) };
    }
    case "events": {
      const count = async (outcomes: readonly string[]) => {
        const counts = await Promise.all(
          outcomes.map((outcome) =>
            reader.totals({ ...scope, filter: { ...slo.filter, outcome } }),
          ),
        );
        return counts.reduce((sum, totals) => sum + totals.count, 0);
      };
      const [good, bad] = await Promise.all([count(slo.goodOutcomes), count(slo.badOutcomes)]);
      return { ...base, ...ratioReport(good, good + bad, slo.target) };
    }
    case "freshness": {
      const last = await reader.lastSeen({ ...scope, since: now - FRESHNESS_LOOKBACK_MS });
      return { ...base, ...freshnessReport(last, slo.maxAgeSeconds, now) };
    }
  }
}

/** Attainment, budget and status of a good/total objective. */
export function ratioReport(good: number, total: number, target: number) {
  if (total === 0) {
    const none = { attained: null, errorBudgetRemaining: null, burnRate: null };
    return { target, good, total, ...none, status: "no_data" as const };
  }
  const attained = good / total;
  const burnRate = (1 - attained) / (1 - target);
  return {
    target,
    good,
    total,
    attained,
    errorBudgetRemaining: Math.max(0, 1 - burnRate),
    burnRate,
    status: statusOf(burnRate, WARNING_BURN),
  };
}

function freshnessReport(last: number | undefined, maxAgeSeconds: number, now: number) {
  if (last === undefined) {
    const none = { attained: null, errorBudgetRemaining: null, burnRate: null };
    return { target: 1, good: 0, total: 0, ...none, status: "no_data" as const, lastSeenAt: null };
  }
  const burnRate = Math.max(0, now - last) / (maxAgeSeconds * 1000);
  const fresh = burnRate <= 1 ? 1 : 0;
  return {
    target: 1,
    good: fresh,
    total: 1,
    attained: fresh,
    errorBudgetRemaining: Math.max(0, 1 - burnRate),
    burnRate,
    status: statusOf(burnRate, FRESHNESS_WARNING_BURN),
    lastSeenAt: new Date(last).toISOString(),
  };
}

function statusOf(burnRate: number, warningBurn: number): SloStatus {
  if (burnRate > 1) return "breach";
  if (burnRate >= warningBurn) return "warning";
  return "ok";
}
