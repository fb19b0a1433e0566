import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client";
import { metricRollups } from "../../src/db/schema";
import { d1MetricsReader } from "../../src/metrics/d1-reader";
import { flushMetrics, flushMetricsIfDue, recordMetric } from "../../src/metrics/record";
import { envWith } from "../support/env";

const db = openDatabase(env.DB);
const reader = d1MetricsReader(db);
// A fixed minute far from other test files' data, so each case owns its rows.
let nextBase = Date.UTC(2030, 0, 1, 10, 0);

function freshMinute(): number {
  nextBase += 3_600_000;
  return nextBase;
}

afterEach(() => vi.restoreAllMocks());

describe("metrics in D1", () => {
  it("rolls points up per minute and dimension set, and reads counts, sums and quantiles back", async () => {
    const base = freshMinute();
    for (let index = 1; index <= 100; index += 1) {
      recordMetric(env, {
        name: "order.export.lag",
        value: index * 100,
        dimensions: { integration: "erp", shop: "a.myshopify.com" },
        at: base + (index % 2) * 60_000,
      });
    }
    recordMetric(env, {
      name: "order.export.lag",
      value: 5,
      dimensions: { integration: "oms" },
      at: base,
    });
    await flushMetrics(env);

    const scope = { name: "order.export.lag" as const, since: base, until: base + 120_000 };
    const [erp] = await reader.series({
      ...scope,
      filter: { integration: "erp" },
      stepSeconds: 120,
      groupBy: [],
    });
    expect(erp?.points).toHaveLength(1);
    expect(erp?.points[0]).toMatchObject({ count: 100, sum: 505_000, min: 100, max: 10_000 });
    expect(erp?.points[0]?.p50).toBeGreaterThanOrEqual(5_000 * 0.95);
    expect(erp?.points[0]?.p50).toBeLessThanOrEqual(5_000 * 1.05);
    expect(erp?.points[0]?.p99).toBeGreaterThanOrEqual(9_900 * 0.95);

    const byIntegration = await reader.series({
      ...scope,
      filter: {},
      stepSeconds: 60,
      groupBy: ["integration"],
    });
    expect(byIntegration.map((series) => series.dimensions).sort()).toEqual(
      expect.arrayContaining([{ integration: "erp" }, { integration: "oms" }]),
    );
    const oms = byIntegration.find((series) => series.dimensions.integration === "oms");
    expect(oms?.points.map((point) => point.count)).toEqual([1, 0]);
    expect(oms?.points[1]).toMatchObject({ avg: null, p95: null });

    const totals = await reader.totals({ ...scope, filter: { integration: "erp" } }, 6_000);
    expect(totals).toMatchObject({ count: 100, sum: 505_000 });
    expect(totals.atMost).toBeLessThanOrEqual(60);
    expect(totals.atMost).toBeGreaterThanOrEqual(54);
    expect(await reader.lastSeen({ ...scope, filter: {} })).toBe(base + 60_000);
  });

  it("adds concurrent flushes of the same minute instead of overwriting them", async () => {
    const base = freshMinute();
    const isolates = [envWith({}), envWith({}), envWith({})];
    for (const isolate of isolates) {
      recordMetric(isolate, {
        name: "queue.message",
        value: 1,
        dimensions: { domain: "orders", outcome: "acked" },
        at: base,
      });
    }
    await Promise.all(isolates.map((isolate) => flushMetrics(isolate)));

    const rows = await db
      .select()
      .from(metricRollups)
      .where(and(eq(metricRollups.name, "queue.message"), eq(metricRollups.minute, base)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 3, sum: 3 });
  });

  it("flushes at the end of a request at most once a second per isolate, keeping the rest buffered", async () => {
    const base = freshMinute();
    const isolate = envWith({});
    const storedCount = async () => {
      const [row] = await db
        .select({ count: metricRollups.count })
        .from(metricRollups)
        .where(and(eq(metricRollups.name, "webhook.latency"), eq(metricRollups.minute, base)));
      return row?.count ?? 0;
    };
    const record = () =>
      recordMetric(isolate, { name: "webhook.latency", value: 4, dimensions: {}, at: base });
    const start = Date.now();

    record();
    await flushMetricsIfDue(isolate, start);
    expect(await storedCount()).toBe(1);

    record();
    record();
    await flushMetricsIfDue(isolate, Date.now() + 500);
    expect(await storedCount()).toBe(1);

    await flushMetricsIfDue(isolate, Date.now() + 1_000);
    expect(await storedCount()).toBe(3);
  });

  it("never throws when D1 fails, and logs the dropped points", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => lines.push(String(line)));
    const broken = envWith({
      DB: {
        ...env.DB,
        batch: () => Promise.reject(new Error("D1 is down")),
        prepare: env.DB.prepare.bind(env.DB),
      } as unknown as D1Database,
    });

    recordMetric(broken, { name: "cron.run", value: 12, dimensions: { job: "alerts" } });
    await expect(flushMetrics(broken)).resolves.toBeUndefined();
    expect(lines.some((line) => line.includes("metrics flush failed"))).toBe(true);
  });

  it("drops points whose unit does not match the catalog, without throwing", () => {
    expect(() =>
      recordMetric(env, { name: "webhook.latency", value: 3, unit: "count", dimensions: {} }),
    ).not.toThrow();
  });
});
