import { describe, expect, it } from "vitest";
import type { MetricScope, MetricsReader } from "../../src/metrics/reader";
import { DEFAULT_SLOS, SloConfigSchema } from "../../src/slo/config";
import { evaluateSlos, ratioReport } from "../../src/slo/evaluate";

const NOW = Date.UTC(2026, 11, 1, 12, 0);
const slos = SloConfigSchema.parse(DEFAULT_SLOS);

/** A reader answering from fixed numbers per metric (and per outcome for event SLOs). */
function fakeReader(data: {
  totals?: Record<string, { count: number; atMost?: number }>;
  lastSeen?: Record<string, number>;
}): MetricsReader & { scopes: MetricScope[] } {
  const scopes: MetricScope[] = [];
  return {
    scopes,
    series: async () => [],
    async totals(scope, threshold) {
      scopes.push(scope);
      const key = scope.filter.outcome ? `${scope.name}:${scope.filter.outcome}` : scope.name;
      const found = data.totals?.[key] ?? { count: 0, atMost: 0 };
      return {
        count: found.count,
        sum: 0,
        atMost: threshold === undefined ? null : (found.atMost ?? 0),
      };
    },
    lastSeen: async (scope) => data.lastSeen?.[scope.name],
  };
}

describe("SLO evaluation", () => {
  it("reports attainment, budget, burn rate and status for each seed SLO", async () => {
    const reader = fakeReader({
      totals: {
        "order.export.lag": { count: 1_000, atMost: 995 },
        "queue.message:acked": { count: 9_990 },
        "queue.message:dead_lettered": { count: 10 },
        "inventory.ats_propagation:pushed": { count: 100, atMost: 90 },
      },
      lastSeen: { "pricing.hydration": NOW - 25 * 3_600_000 },
    });

    const reports = await evaluateSlos(reader, slos, "24h", NOW);
    const byId = Object.fromEntries(reports.map((report) => [report.id, report]));

    expect(byId["orders-export-lag"]).toMatchObject({
      target: 0.99,
      good: 995,
      total: 1_000,
      attained: 0.995,
      status: "ok",
    });
    expect(byId["orders-export-lag"]?.burnRate).toBeCloseTo(0.5);
    expect(byId["orders-export-lag"]?.errorBudgetRemaining).toBeCloseTo(0.5);
    expect(byId["orders-manual-intervention"]).toMatchObject({
      good: 9_990,
      total: 10_000,
      status: "warning",
    });
    expect(byId["orders-manual-intervention"]?.burnRate).toBeCloseTo(1);
    expect(byId["inventory-ats-propagation"]).toMatchObject({
      attained: 0.9,
      status: "breach",
      errorBudgetRemaining: 0,
    });
    expect(byId["pricing-nightly-hydration"]).toMatchObject({
      status: "warning",
      attained: 1,
      lastSeenAt: new Date(NOW - 25 * 3_600_000).toISOString(),
    });
    expect(byId["pricing-cart-resolve"]).toMatchObject({
      status: "no_data",
      attained: null,
      total: 0,
    });
  });

  it("scopes each SLO to its window, metric and filter", async () => {
    const reader = fakeReader({});
    await evaluateSlos(reader, slos, "1h", NOW);

    const lag = reader.scopes.find((scope) => scope.name === "order.export.lag");
    expect(lag).toMatchObject({ since: NOW - 3_600_000, filter: { effect: "create" } });
    expect(
      reader.scopes.filter((scope) => scope.name === "queue.message").map((s) => s.filter),
    ).toEqual([
      { domain: "orders", outcome: "acked" },
      { domain: "orders", outcome: "dead_lettered" },
    ]);
  });

  it("breaches a freshness SLO past its maximum age", async () => {
    const reader = fakeReader({ lastSeen: { "pricing.hydration": NOW - 27 * 3_600_000 } });
    const [report] = await evaluateSlos(
      reader,
      slos.filter((slo) => slo.kind === "freshness"),
      "7d",
      NOW,
    );
    expect(report).toMatchObject({ status: "breach", good: 0, total: 1, attained: 0 });
  });

  it.each([
    [999, 1_000, 0.99, "ok"],
    [990, 1_000, 0.99, "warning"],
    [989, 1_000, 0.99, "breach"],
    [0, 0, 0.99, "no_data"],
  ])("rates %i good of %i against %s as %s", (good, total, target, status) => {
    expect(ratioReport(good, total, target).status).toBe(status);
  });

  it("rejects SLO_CONFIG with duplicate ids or unknown metrics", () => {
    const [first] = DEFAULT_SLOS;
    expect(SloConfigSchema.safeParse([first, first]).success).toBe(false);
    expect(SloConfigSchema.safeParse([{ ...first, metric: "nope" }]).success).toBe(false);
  });
});
