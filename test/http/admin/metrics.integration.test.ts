import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { flushMetrics, recordMetric } from "../../../src/metrics/record";
import { envWith, fetchWith } from "../../support/env";

const VIEWER = "Bearer viewer-token-0123456789ab";

function get(path: string, token: string | null = VIEWER) {
  return exports.default.fetch(
    new Request(`https://hub.test/admin/api${path}`, {
      headers: token ? { authorization: token } : {},
    }),
  );
}

describe("GET /admin/api/metrics", () => {
  it("answers a series per group with count, sum, avg and quantiles per step", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    for (const [value, integration] of [
      [1_000, "erp"],
      [3_000, "erp"],
      [500, "oms"],
    ] as const) {
      recordMetric(env, {
        name: "order.export.lag",
        value,
        dimensions: { integration, effect: "create", outcome: "exported" },
        at: minute,
      });
    }
    await flushMetrics(env);

    const since = new Date(minute).toISOString();
    const until = new Date(minute + 120_000).toISOString();
    const response = await get(
      `/metrics?name=order.export.lag&since=${since}&until=${until}&step=60&dims=effect:create&groupBy=integration`,
    );

    expect(response.status).toBe(200);
    const body = await response.json<{
      unit: string;
      stepSeconds: number;
      series: {
        dimensions: Record<string, string>;
        points: { t: string; count: number; avg: number | null; p50: number | null }[];
      }[];
    }>();
    expect(body).toMatchObject({ unit: "ms", stepSeconds: 60 });
    const erp = body.series.find((series) => series.dimensions.integration === "erp");
    expect(erp?.points).toHaveLength(2);
    expect(erp?.points[0]).toMatchObject({ t: since, count: 2, avg: 2_000 });
    expect(erp?.points[1]).toMatchObject({ count: 0, avg: null, p50: null });
  });

  it.each([
    ["an unknown metric", "/metrics?name=nope", "invalid_request"],
    ["a malformed dims filter", "/metrics?name=cron.run&dims=integration", "invalid_request"],
    ["a step that is not whole minutes", "/metrics?name=cron.run&step=90", "invalid_request"],
    [
      "since after until",
      "/metrics?name=cron.run&since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z",
      "invalid_range",
    ],
    [
      "too many points",
      "/metrics?name=cron.run&since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z&step=60",
      "invalid_range",
    ],
  ])("rejects %s with 400", async (_case, path, reason) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("requires a token", async () => {
    expect((await get("/metrics?name=cron.run", null)).status).toBe(401);
  });

  it("answers 503 metrics_unavailable when Analytics Engine is not configured", async () => {
    const response = await fetchWith(
      envWith({
        METRICS_SINK: "analytics-engine",
        ANALYTICS_ACCOUNT_ID: "",
        ANALYTICS_API_TOKEN: "",
      }),
      new Request("https://hub.test/admin/api/slo", { headers: { authorization: VIEWER } }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(await response.json()).toMatchObject({
      reason: "metrics_unavailable",
      code: "metrics_reader_unconfigured",
    });
  });
});

describe("GET /admin/api/metrics/catalog", () => {
  it("lists every metric with its unit and dimensions", async () => {
    const response = await get("/metrics/catalog");
    const body = await response.json<{
      sink: string;
      items: { name: string; unit: string; dimensions: string[] }[];
    }>();

    expect(body.sink).toBe("d1");
    expect(body.items).toContainEqual(
      expect.objectContaining({
        name: "order.export.lag",
        unit: "ms",
        dimensions: expect.arrayContaining(["integration"]),
      }),
    );
  });
});

describe("GET /admin/api/slo", () => {
  it("reports every configured SLO for the window", async () => {
    recordMetric(env, {
      name: "pricing.resolve",
      value: 120,
      dimensions: { shop: "test-shop.myshopify.com" },
    });
    recordMetric(env, {
      name: "pricing.resolve",
      value: 900,
      dimensions: { shop: "test-shop.myshopify.com" },
    });
    await flushMetrics(env);

    const response = await get("/slo?window=1h");
    const body = await response.json<{
      window: string;
      items: { id: string; status: string; good: number; total: number }[];
    }>();

    expect(body.window).toBe("1h");
    expect(body.items.map((item) => item.id)).toEqual([
      "orders-export-lag",
      "orders-manual-intervention",
      "inventory-ats-propagation",
      "pricing-nightly-hydration",
      "pricing-cart-resolve",
    ]);
    expect(body.items.find((item) => item.id === "pricing-cart-resolve")).toMatchObject({
      good: 1,
      total: 2,
      status: "breach",
    });
  });

  it("rejects an unknown window", async () => {
    expect((await get("/slo?window=2h")).status).toBe(400);
  });
});
