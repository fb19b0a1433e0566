import { afterEach, describe, expect, it, vi } from "vitest";
import { loadSettings } from "../../src/config/settings";
import { analyticsEngineReader } from "../../src/metrics/analytics-engine-reader";
import { recordMetric } from "../../src/metrics/record";
import { RetryableError } from "../../src/queues/errors";
import { envWith } from "../support/env";

const SQL_URL = "http://analytics.test/client/v4/accounts/{account_id}/analytics_engine/sql";
const aeEnv = envWith({
  METRICS_SINK: "analytics-engine",
  ANALYTICS_ACCOUNT_ID: "acct-123",
  ANALYTICS_API_TOKEN: "ae-token",
  ANALYTICS_SQL_URL: SQL_URL,
});
const since = Date.UTC(2026, 11, 1, 10, 0);
const until = since + 120_000;

/** Answers every SQL API call with `body` and records what was asked. */
function stubSqlApi(body: unknown, status = 200) {
  const calls: { url: string; auth: string | null; sql: string }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    calls.push({
      url: request.url,
      auth: request.headers.get("authorization"),
      sql: await request.text(),
    });
    return new Response(JSON.stringify(body), { status });
  });
  return calls;
}

afterEach(() => vi.restoreAllMocks());

describe("Analytics Engine sink", () => {
  it("writes each point to the METRICS dataset with the name as index and fixed blobs", () => {
    const writeDataPoint = vi.fn();
    const testEnv = envWith({ METRICS_SINK: "analytics-engine", METRICS: { writeDataPoint } });

    recordMetric(testEnv, {
      name: "connector.call",
      value: 87,
      dimensions: { integration: "erp", outcome: "failed", errorClass: "connector_timeout" },
    });

    expect(writeDataPoint).toHaveBeenCalledWith({
      indexes: ["connector.call"],
      blobs: [
        "connector.call",
        "",
        "erp",
        "connector_timeout",
        "failed",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
      ],
      doubles: [87],
    });
  });
});

describe("Analytics Engine reader", () => {
  it("queries the SQL API with the token and turns rows into series with a point per step", async () => {
    const calls = stubSqlApi({
      meta: [],
      rows: 1,
      data: [
        {
          t: "2026-12-01 10:01:00",
          integration: "erp",
          count: "40",
          sum: 4000,
          min: 12,
          max: 900,
          p50: 80,
          p95: 700,
          p99: 880,
        },
      ],
    });

    const series = await analyticsEngineReader(loadSettings(aeEnv)).series({
      name: "order.export.lag",
      since,
      until,
      stepSeconds: 60,
      filter: { integration: "erp", shop: "a.myshopify.com" },
      groupBy: ["integration"],
    });

    expect(calls[0]?.url).toBe(
      "http://analytics.test/client/v4/accounts/acct-123/analytics_engine/sql",
    );
    expect(calls[0]?.auth).toBe("Bearer ae-token");
    expect(calls[0]?.sql).toContain("FROM shopify_edge_hub_metrics_local");
    expect(calls[0]?.sql).toContain("index1 = 'order.export.lag'");
    expect(calls[0]?.sql).toContain("blob2 = 'a.myshopify.com' AND blob3 = 'erp'");
    expect(calls[0]?.sql).toContain("quantileExactWeighted(0.95)(double1, _sample_interval)");
    expect(calls[0]?.sql).toContain(`timestamp >= toDateTime(${since / 1000})`);
    expect(series).toEqual([
      {
        dimensions: { integration: "erp" },
        points: [
          {
            t: "2026-12-01T10:00:00.000Z",
            count: 0,
            sum: 0,
            avg: null,
            min: null,
            max: null,
            p50: null,
            p95: null,
            p99: null,
          },
          {
            t: "2026-12-01T10:01:00.000Z",
            count: 40,
            sum: 4000,
            avg: 100,
            min: 12,
            max: 900,
            p50: 80,
            p95: 700,
            p99: 880,
          },
        ],
      },
    ]);
  });

  it("counts observations under a threshold with a sample-weighted IF", async () => {
    const calls = stubSqlApi({ data: [{ count: "200", sum: "9000", atMost: "198" }] });
    const reader = analyticsEngineReader(loadSettings(aeEnv));

    const totals = await reader.totals({ name: "pricing.resolve", since, until, filter: {} }, 300);

    expect(totals).toEqual({ count: 200, sum: 9000, atMost: 198 });
    expect(calls[0]?.sql).toContain("SUM(IF(double1 <= 300, _sample_interval, 0)) AS atMost");
  });

  it("reads the newest observation's time, or nothing when there is none", async () => {
    stubSqlApi({ data: [{ n: "3", last: "2026-12-01 09:59:30" }] });
    const reader = analyticsEngineReader(loadSettings(aeEnv));
    const scope = { name: "pricing.hydration" as const, since, until, filter: {} };
    expect(await reader.lastSeen(scope)).toBe(Date.UTC(2026, 11, 1, 9, 59, 30));

    vi.restoreAllMocks();
    stubSqlApi({ data: [{ n: "0", last: "1970-01-01 00:00:00" }] });
    expect(await reader.lastSeen(scope)).toBeUndefined();
  });

  it.each([
    ["an error status", { errors: [{ message: "bad token" }] }, 403, "analytics_sql_failed"],
    ["a body without data", { result: [] }, 200, "analytics_sql_malformed"],
    ["rows of the wrong shape", { data: [{ count: "many" }] }, 200, "analytics_sql_malformed"],
  ])("fails retryably on %s", async (_case, body, status, code) => {
    stubSqlApi(body, status);
    const reader = analyticsEngineReader(loadSettings(aeEnv));

    const failure = reader.totals({ name: "cron.run", since, until, filter: {} });

    await expect(failure).rejects.toBeInstanceOf(RetryableError);
    await expect(failure).rejects.toMatchObject({ code });
  });

  it("refuses to query without an account id and token", async () => {
    const reader = analyticsEngineReader(
      loadSettings(envWith({ METRICS_SINK: "analytics-engine", ANALYTICS_API_TOKEN: "" })),
    );
    await expect(
      reader.totals({ name: "cron.run", since, until, filter: {} }),
    ).rejects.toMatchObject({ code: "metrics_reader_unconfigured" });
  });
});
