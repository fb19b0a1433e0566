import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runScheduled } from "../../src/cron/dispatch";
import { openDatabase } from "../../src/db/client";
import { markReplayed, recordDeadLetter } from "../../src/db/dead-letters";
import { alerts } from "../../src/db/schema";
import { envWith } from "../support/env";

const db = openDatabase(env.DB);
const CHANNELS = [
  { name: "hook", type: "webhook", url: "http://alerts.test/hook" },
  { name: "chat", type: "slack", url: "http://alerts.test/slack", severities: ["page"] },
  {
    name: "pager",
    type: "pagerduty",
    url: "http://alerts.test/pd",
    routingKey: "R0UT1NG",
    severities: ["page"],
  },
  { name: "tickets", type: "webhook", url: "http://alerts.test/tickets", severities: ["ticket"] },
];
const alertEnv = envWith({ ALERT_CHANNELS: JSON.stringify(CHANNELS) });
const OPERATOR = "Bearer operator-token-0123456789";

interface Delivery {
  url: string;
  body: Record<string, unknown>;
}
let deliveries: Delivery[] = [];
/** Status each channel URL answers with; 202 unless set. */
let answers: Record<string, number> = {};

beforeEach(() => {
  deliveries = [];
  answers = {};
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith("http://alerts.test/")) return realFetch(input, init);
    deliveries.push({ url: request.url, body: await request.json() });
    return new Response("{}", { status: answers[request.url] ?? 202 });
  });
});
afterEach(() => vi.restoreAllMocks());

/** Runs the every-minute alerts cron at `at` (epoch ms). */
async function runAlerts(at = Date.now()) {
  await runScheduled(createScheduledController({ cron: "* * * * *", scheduledTime: at }), alertEnv);
}

async function parkOrderEvent(): Promise<string> {
  return recordDeadLetter(db, {
    shop: "test-shop.myshopify.com",
    domain: "orders",
    topic: "orders/create",
    subjects: { orderId: "42" },
    envelope: {},
    errorClass: "permanent",
    errorCode: "connector_rejected",
    errorMessage: "ERP rejected the order",
    attempts: 1,
  });
}

async function exportAlert() {
  const [row] = await db.select().from(alerts).where(eq(alerts.dedupeKey, "order_export_failures"));
  return row;
}

function sentTo(path: string) {
  return deliveries.filter((delivery) => delivery.url === `http://alerts.test/${path}`);
}

describe("alerts cron", () => {
  it("pages once for failed order exports, in each channel's payload shape", async () => {
    const deadLetterId = await parkOrderEvent();
    await runAlerts();

    const alert = await exportAlert();
    expect(alert).toMatchObject({
      status: "open",
      severity: "page",
      kind: "order_export_failures",
    });
    expect(sentTo("hook")[0]?.body).toMatchObject({
      event: "trigger",
      hub: "local",
      alert: { id: alert?.id, key: "order_export_failures", severity: "page", status: "open" },
    });
    expect(sentTo("slack")[0]?.body).toEqual({
      text: expect.stringMatching(
        /^\[local\] PAGE triggered: 1 order event\(s\) parked .*\(order_export_failures\)$/,
      ),
    });
    expect(sentTo("pd")[0]?.body).toEqual({
      routing_key: "R0UT1NG",
      event_action: "trigger",
      dedup_key: "order_export_failures",
      payload: {
        summary: expect.stringContaining("parked as dead letters"),
        severity: "critical",
        source: "shopify-edge-hub/local",
        component: "order_export_failures",
        custom_details: expect.objectContaining({ openDeadLetters: 1 }),
      },
    });
    expect(sentTo("tickets")).toEqual([]);

    // Still open a minute later: deduplicated, nothing sent again.
    deliveries = [];
    await runAlerts();
    expect(deliveries).toEqual([]);
    expect((await exportAlert())?.occurrences).toBe(2);

    // Past the re-notify interval (60 min) an unacknowledged alert is sent again.
    await runAlerts(Date.now() + 61 * 60_000);
    expect(sentTo("pd").map((delivery) => delivery.body.event_action)).toEqual(["trigger"]);

    // Cleared: resolved, and a resolve goes wherever a trigger went.
    deliveries = [];
    await markReplayed(db, [deadLetterId], Date.now() + 62 * 60_000);
    await runAlerts(Date.now() + 62 * 60_000);
    expect(await exportAlert()).toMatchObject({
      status: "resolved",
      resolvedAt: expect.any(Number),
    });
    expect(sentTo("pd")[0]?.body).toEqual({
      routing_key: "R0UT1NG",
      event_action: "resolve",
      dedup_key: "order_export_failures",
    });
    expect(sentTo("hook")[0]?.body).toMatchObject({
      event: "resolve",
      alert: { status: "resolved" },
    });
    expect(sentTo("slack")[0]?.body.text).toContain("resolved:");

    // The resolve is sent once.
    deliveries = [];
    await runAlerts(Date.now() + 63 * 60_000);
    expect(deliveries).toEqual([]);
  });

  it("retries a failed channel on the next run without failing the cron or repeating the others", async () => {
    const deadLetterId = await parkOrderEvent();
    answers["http://alerts.test/pd"] = 500;
    const later = Date.now() + 70 * 60_000;

    // The resolved alert of the previous case reopens as a new incident.
    await expect(runAlerts(later)).resolves.toBeUndefined();
    expect(await exportAlert()).toMatchObject({ status: "open", acknowledgedAt: null });
    expect(sentTo("pd")).toHaveLength(1);
    expect(sentTo("hook")).toHaveLength(1);

    deliveries = [];
    answers = {};
    await runAlerts(later + 60_000);
    expect(sentTo("pd").map((delivery) => delivery.body.event_action)).toEqual(["trigger"]);
    expect(sentTo("hook")).toEqual([]);

    await markReplayed(db, [deadLetterId], later + 90_000);
    await runAlerts(later + 120_000);
  });

  it("pages for dead-letter growth and for a breaker that stays open", async () => {
    // Breakers keep real time, so this case does too.
    const now = Date.now();
    for (let index = 0; index < 5; index += 1) {
      await recordDeadLetter(
        db,
        {
          shop: "test-shop.myshopify.com",
          domain: "catalog",
          topic: "products/update",
          subjects: {},
          envelope: {},
          errorClass: "retries_exhausted",
          errorCode: "unexpected_error",
          errorMessage: "boom",
          attempts: 8,
        },
        now - 60_000,
      );
    }
    const erp = env.CIRCUIT_BREAKERS.getByName("erp");
    await erp.reset("test");
    for (let index = 0; index < 5; index += 1)
      await erp.record({ ok: false, error: "connector_503" });

    // The breaker opened just now: not yet 5 minutes.
    await runAlerts(now);
    const keys = (await db.select().from(alerts).where(eq(alerts.status, "open"))).map(
      (row) => row.dedupeKey,
    );
    expect(keys).toContain("dead_letter_growth:catalog");
    expect(keys).not.toContain("breaker_open:erp");

    await runAlerts(now + 6 * 60_000);
    const [breaker] = await db
      .select()
      .from(alerts)
      .where(eq(alerts.dedupeKey, "breaker_open:erp"));
    expect(breaker).toMatchObject({ status: "open", severity: "page" });

    await erp.reset("test");
    await runAlerts(now + 7 * 60_000);
    const [closed] = await db.select().from(alerts).where(eq(alerts.dedupeKey, "breaker_open:erp"));
    expect(closed?.status).toBe("resolved");
  });
});

describe("/admin/api/alerts", () => {
  function call(path: string, init: RequestInit = {}, token = OPERATOR) {
    return exports.default.fetch(
      new Request(`https://hub.test/admin/api/alerts${path}`, {
        ...init,
        headers: { authorization: token },
      }),
    );
  }

  it("lists alerts by status and acknowledges an open one, which stops re-notifying", async () => {
    await parkOrderEvent();
    await runAlerts(Date.now() + 300 * 60_000);
    const open = await (await call("?status=open")).json<{
      items: { id: string; key: string; notifications: { channel: string }[] }[];
    }>();
    const alert = open.items.find((item) => item.key === "order_export_failures");
    expect(alert?.notifications.map((n) => n.channel).sort()).toEqual(["chat", "hook", "pager"]);

    const denied = await call(
      `/${alert?.id}/acknowledge`,
      { method: "POST" },
      "Bearer viewer-token-0123456789ab",
    );
    expect(denied.status).toBe(403);

    const acknowledged = await call(`/${alert?.id}/acknowledge`, { method: "POST" });
    expect(acknowledged.status).toBe(200);
    expect(await acknowledged.json()).toMatchObject({ acknowledgedBy: "operator", status: "open" });

    deliveries = [];
    await runAlerts(Date.now() + 500 * 60_000);
    const aboutIt = deliveries.filter((d) =>
      JSON.stringify(d.body).includes("order_export_failures"),
    );
    expect(aboutIt).toEqual([]);
  });

  it("answers 404 for an unknown alert and 409 for a resolved one", async () => {
    expect((await call("/nope/acknowledge", { method: "POST" })).status).toBe(404);
    const resolved = await (await call("?status=resolved")).json<{ items: { id: string }[] }>();
    const [first] = resolved.items;
    const response = await call(`/${first?.id}/acknowledge`, { method: "POST" });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ reason: "alert_not_open" });
  });
});
