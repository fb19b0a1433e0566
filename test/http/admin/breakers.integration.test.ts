import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { breakerFor } from "../../../src/connectors/breaker";
import type { BreakerView } from "../../../src/http/admin/breakers";
import { envWith, fetchWith } from "../../support/env";

const OPERATOR = "Bearer operator-token-0123456789";
const VIEWER = "Bearer viewer-token-0123456789ab";
const URL_SETTINGS = ["ERP_URL", "OMS_URL", "PIM_URL", "DAM_URL", "CDP_URL"] as const;

function call(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", init.token);
  return new Request(`https://hub.test/admin/api/breakers${path}`, { ...init, headers });
}

/** The test env with exactly the given connector URLs set and the others empty. */
function withUrls(urls: Partial<Record<(typeof URL_SETTINGS)[number], string>>) {
  return envWith({ ...Object.fromEntries(URL_SETTINGS.map((key) => [key, ""])), ...urls });
}

async function tripErp() {
  const erp = breakerFor(env, "erp");
  for (let index = 0; index < 5; index += 1) {
    await erp.record({ ok: false, error: "connector_503" });
  }
}

beforeEach(async () => {
  await breakerFor(env, "erp").reset("test");
});

describe("admin auth for /admin/api/breakers", () => {
  it.each([
    ["GET", ""],
    ["GET", "/erp"],
    ["POST", "/erp/reset"],
  ])("rejects %s %s without a token", async (method, path) => {
    const response = await exports.default.fetch(call(path, { method }));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "missing_token" });
  });

  it("lets a read-only token read but not reset", async () => {
    expect((await exports.default.fetch(call("/erp", { token: VIEWER }))).status).toBe(200);

    const reset = await exports.default.fetch(
      call("/erp/reset", { method: "POST", token: VIEWER }),
    );
    expect(reset.status).toBe(403);
    expect(await reset.json()).toMatchObject({
      reason: "insufficient_scope",
      requiredScope: "operate",
    });
  });
});

describe("GET /admin/api/breakers", () => {
  it("lists only connectors whose URL is configured", async () => {
    const response = await fetchWith(
      withUrls({ ERP_URL: "https://erp.test", CDP_URL: "https://cdp.test" }),
      call("", { token: VIEWER }),
    );

    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: BreakerView[] };
    expect(items.map((item) => [item.name, item.configured, item.state])).toEqual([
      ["erp", true, "closed"],
      ["cdp", true, "closed"],
    ]);
  });

  it("lists nothing when no connector is configured", async () => {
    const response = await fetchWith(withUrls({}), call("", { token: VIEWER }));

    expect(await response.json()).toEqual({ items: [] });
  });
});

describe("GET /admin/api/breakers/:connector", () => {
  it("shows an open breaker with its window, reopening time and history", async () => {
    await tripErp();

    const response = await fetchWith(withUrls({}), call("/erp", { token: VIEWER }));

    expect(response.status).toBe(200);
    const view = (await response.json()) as BreakerView;
    expect(view).toMatchObject({
      name: "erp",
      configured: false,
      state: "open",
      window: { seconds: 60, calls: 5, failures: 5, failureRatePercent: 100 },
      probesInFlight: 0,
      lastFailure: { error: "connector_503" },
      policy: { minCalls: 5, failureRatePercent: 50, openSeconds: 30 },
    });
    expect(Date.parse(view.openUntil ?? "") - Date.parse(view.since)).toBe(30_000);
    expect(view.transitions[0]).toMatchObject({ from: "closed", to: "open" });
  });

  it.each(["crm", "ERP", "erp%20"])("answers 404 unknown_connector for %s", async (name) => {
    const response = await exports.default.fetch(call(`/${name}`, { token: VIEWER }));

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      reason: "unknown_connector",
      knownConnectors: ["erp", "oms", "pim", "dam", "cdp"],
    });
  });
});

describe("POST /admin/api/breakers/:connector/reset", () => {
  it("closes an open breaker and answers with the new snapshot", async () => {
    await tripErp();

    const response = await exports.default.fetch(
      call("/erp/reset", { method: "POST", token: OPERATOR }),
    );

    expect(response.status).toBe(200);
    const view = (await response.json()) as BreakerView;
    expect(view).toMatchObject({ name: "erp", state: "closed", openUntil: null });
    expect(view.window.calls).toBe(0);
    expect(view.transitions[0]).toMatchObject({
      from: "open",
      to: "closed",
      reason: "reset by operator",
    });
    expect((await breakerFor(env, "erp").acquire()).allowed).toBe(true);
  });

  it("answers 404 unknown_connector for an unknown connector", async () => {
    const response = await exports.default.fetch(
      call("/crm/reset", { method: "POST", token: OPERATOR }),
    );

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ reason: "unknown_connector" });
  });
});
