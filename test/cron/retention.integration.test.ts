import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings";
import { runScheduled } from "../../src/cron/dispatch";
import { CronJobFailed } from "../../src/cron/job";
import { purgeExpired } from "../../src/cron/retention";
import { openDatabase } from "../../src/db/client";
import { listCronRuns } from "../../src/db/cron-runs";
import {
  cronRuns,
  deadLetters,
  metricBuckets,
  metricRollups,
  oauthStates,
  orderEvents,
  orderExports,
  orderTargets,
  storedPayloads,
  webhookReceipts,
} from "../../src/db/schema";
import { createLogger } from "../../src/observability/logger";
import { envWith } from "../support/env";

const DAY_MS = 24 * 60 * 60 * 1000;
const db = openDatabase(env.DB);
const settings = loadSettings(env);
const logger = createLogger("error");
const SHOP = "retention-shop.myshopify.com";

/** Just past the cutoff (purged) and just inside it (kept), for a retention of `days`. */
function around(days: number, now: number) {
  return { expired: now - days * DAY_MS - 1000, kept: now - days * DAY_MS + 1000 };
}

function purge(now = Date.now(), testEnv = env) {
  return purgeExpired(testEnv, db, settings, logger, now);
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

describe("purgeExpired", () => {
  it("deletes order events not refreshed within ORDER_EVENT_RETENTION_DAYS", async () => {
    const now = Date.now();
    const at = around(settings.ORDER_EVENT_RETENTION_DAYS, now);
    const [old, fresh] = [unique("order"), unique("order")];
    await db.insert(orderEvents).values(
      [old, fresh].map((orderId, index) => ({
        shop: SHOP,
        orderId,
        eventKey: "orders/create",
        envelope: "{}",
        updatedAt: index === 0 ? at.expired : at.kept,
      })),
    );

    const summary = await purge(now);

    const left = await db
      .select({ orderId: orderEvents.orderId })
      .from(orderEvents)
      .where(inArray(orderEvents.orderId, [old, fresh]));
    expect(left).toEqual([{ orderId: fresh }]);
    expect(summary.orderEventsDeleted).toBe(1);
  });

  it("deletes dead letters created before DEAD_LETTER_RETENTION_DAYS, open ones too", async () => {
    const now = Date.now();
    const at = around(settings.DEAD_LETTER_RETENTION_DAYS, now);
    const [old, fresh] = [unique("dl"), unique("dl")];
    await db.insert(deadLetters).values(
      [old, fresh].map((id, index) => ({
        id,
        shop: SHOP,
        domain: "orders",
        topic: "orders/create",
        envelope: '{"payload":{"email":"buyer@example.com"}}',
        errorClass: "permanent",
        errorCode: "rejected",
        errorMessage: "rejected",
        attempts: 1,
        status: "open" as const,
        createdAt: index === 0 ? at.expired : at.kept,
        updatedAt: now,
      })),
    );

    const summary = await purge(now);

    const left = await db
      .select({ id: deadLetters.id })
      .from(deadLetters)
      .where(inArray(deadLetters.id, [old, fresh]));
    expect(left).toEqual([{ id: fresh }]);
    expect(summary.deadLettersDeleted).toBe(1);
  });

  it("deletes stored webhook payloads, object and row, before RECEIPT_RETENTION_DAYS", async () => {
    const now = Date.now();
    const at = around(settings.RECEIPT_RETENTION_DAYS, now);
    const [old, fresh] = [unique("payloads/old"), unique("payloads/fresh")];
    for (const [key, createdAt] of [
      [old, at.expired],
      [fresh, at.kept],
    ] as const) {
      await env.PAYLOADS.put(key, '{"customer":{"email":"buyer@example.com"}}');
      await db.insert(storedPayloads).values({
        key,
        shop: SHOP,
        webhookId: key,
        topic: "orders/create",
        bytes: 40,
        createdAt,
      });
    }

    const summary = await purge(now);

    expect(await env.PAYLOADS.head(old)).toBeNull();
    expect(await env.PAYLOADS.head(fresh)).not.toBeNull();
    const rows = await db
      .select({ key: storedPayloads.key })
      .from(storedPayloads)
      .where(inArray(storedPayloads.key, [old, fresh]));
    expect(rows).toEqual([{ key: fresh }]);
    expect(summary.storedWebhooksDeleted).toBe(1);
  });

  it("deletes customer data exports uploaded before COMPLIANCE_EXPORT_RETENTION_DAYS", async () => {
    const key = `compliance/${SHOP}/${unique("export")}.json`;
    await env.PAYLOADS.put(key, "{}");
    const uploaded = (await env.PAYLOADS.head(key))?.uploaded.getTime() ?? 0;
    const days = settings.COMPLIANCE_EXPORT_RETENTION_DAYS;

    await purge(uploaded + days * DAY_MS - 1000);
    const stillThere = await env.PAYLOADS.head(key);
    const summary = await purge(uploaded + days * DAY_MS + 1000);

    expect(stillThere).not.toBeNull();
    expect(await env.PAYLOADS.head(key)).toBeNull();
    expect(summary.complianceExportsDeleted).toBeGreaterThanOrEqual(1);
  });

  it("deletes webhook receipts received before RECEIPT_RETENTION_DAYS", async () => {
    const now = Date.now();
    const at = around(settings.RECEIPT_RETENTION_DAYS, now);
    const [old, fresh] = [unique("wh"), unique("wh")];
    await db.insert(webhookReceipts).values(
      [old, fresh].map((webhookId, index) => ({
        shop: SHOP,
        webhookId,
        eventId: webhookId,
        topic: "orders/create",
        apiVersion: "2026-10",
        triggeredAt: "2026-01-01T00:00:00Z",
        receivedAt: index === 0 ? at.expired : at.kept,
        status: "enqueued" as const,
        claimedAt: now,
        traceId: "0af7651916cd43dd8448eb211c80319c",
      })),
    );

    await purge(now);

    const left = await db
      .select({ webhookId: webhookReceipts.webhookId })
      .from(webhookReceipts)
      .where(inArray(webhookReceipts.webhookId, [old, fresh]));
    expect(left).toEqual([{ webhookId: fresh }]);
  });

  it("deletes settled order-ledger rows older than LEDGER_RETENTION_DAYS and keeps those in flight", async () => {
    const now = Date.now();
    const at = around(settings.LEDGER_RETENTION_DAYS, now);
    const cases = [
      { orderId: unique("ledger"), status: "exported", updatedAt: at.expired, kept: false },
      { orderId: unique("ledger"), status: "exported", updatedAt: at.kept, kept: true },
      { orderId: unique("ledger"), status: "pending", updatedAt: at.expired, kept: true },
    ] as const;
    for (const row of cases) {
      await db.insert(orderTargets).values({
        shop: SHOP,
        orderId: row.orderId,
        connector: "erp",
        status: row.status,
        firstSeenAt: row.updatedAt,
        updatedAt: row.updatedAt,
      });
      await db.insert(orderExports).values({
        connector: "erp",
        idempotencyKey: `${row.orderId}:create`,
        shop: SHOP,
        orderId: row.orderId,
        effect: "create",
        revision: "1",
        status: row.status === "pending" ? "sending" : "exported",
        firstSeenAt: row.updatedAt,
        updatedAt: row.updatedAt,
      });
    }

    await purge(now);

    const ids = cases.map((row) => row.orderId);
    const targets = await db
      .select({ orderId: orderTargets.orderId })
      .from(orderTargets)
      .where(inArray(orderTargets.orderId, ids));
    const effects = await db
      .select({ orderId: orderExports.orderId })
      .from(orderExports)
      .where(inArray(orderExports.orderId, ids));
    const expected = cases.filter((row) => row.kept).map((row) => ({ orderId: row.orderId }));
    expect(targets).toEqual(expect.arrayContaining(expected));
    expect(targets).toHaveLength(expected.length);
    expect(effects).toEqual(expect.arrayContaining(expected));
    expect(effects).toHaveLength(expected.length);
  });

  it("deletes metric rollups and buckets for minutes before METRICS_RETENTION_DAYS", async () => {
    const now = Date.now();
    const at = around(settings.METRICS_RETENTION_DAYS, now);
    const name = unique("metric");
    for (const minute of [at.expired, at.kept]) {
      await db
        .insert(metricRollups)
        .values({ name, dims: "{}", minute, count: 1, sum: 1, min: 1, max: 1 });
      await db.insert(metricBuckets).values({ name, dims: "{}", minute, bucket: 3, count: 1 });
    }

    await purge(now);

    const rollups = await db
      .select({ minute: metricRollups.minute })
      .from(metricRollups)
      .where(eq(metricRollups.name, name));
    const buckets = await db
      .select({ minute: metricBuckets.minute })
      .from(metricBuckets)
      .where(eq(metricBuckets.name, name));
    expect(rollups).toEqual([{ minute: at.kept }]);
    expect(buckets).toEqual([{ minute: at.kept }]);
  });

  it("deletes finished cron runs older than CRON_RUN_RETENTION_DAYS", async () => {
    const now = Date.now();
    const at = around(settings.CRON_RUN_RETENTION_DAYS, now);
    const [old, fresh] = [unique("run"), unique("run")];
    await db.insert(cronRuns).values(
      [old, fresh].map((id, index) => ({
        id,
        job: "retention-purge",
        scheduledAt: index === 0 ? at.expired : at.kept,
        startedAt: index === 0 ? at.expired : at.kept,
        status: "succeeded" as const,
      })),
    );

    await purge(now);

    const left = await db
      .select({ id: cronRuns.id })
      .from(cronRuns)
      .where(inArray(cronRuns.id, [old, fresh]));
    expect(left).toEqual([{ id: fresh }]);
  });

  it("deletes OAuth states that expired", async () => {
    const now = Date.now();
    const [old, fresh] = [unique("state"), unique("state")];
    await db.insert(oauthStates).values([
      { state: old, shop: SHOP, createdAt: now - 700_000, expiresAt: now - 1000 },
      { state: fresh, shop: SHOP, createdAt: now, expiresAt: now + 600_000 },
    ]);

    await purge(now);

    const left = await db
      .select({ state: oauthStates.state })
      .from(oauthStates)
      .where(inArray(oauthStates.state, [old, fresh]));
    expect(left).toEqual([{ state: fresh }]);
  });

  it("goes on with the other kinds when one fails, then fails the run with the summary", async () => {
    const now = Date.now();
    const orderId = unique("order");
    await db.insert(orderEvents).values({
      shop: SHOP,
      orderId,
      eventKey: "orders/create",
      envelope: "{}",
      updatedAt: around(settings.ORDER_EVENT_RETENTION_DAYS, now).expired,
    });
    const brokenBucket = {
      list: () => Promise.reject(new Error("R2 unavailable")),
      delete: () => Promise.reject(new Error("R2 unavailable")),
    } as unknown as R2Bucket;

    const error = await purge(now, envWith({ PAYLOADS: brokenBucket })).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    if (!(error instanceof CronJobFailed)) throw new Error("expected the run to fail");
    expect(error.summary).toMatchObject({
      orderEventsDeleted: 1,
      failed: expect.stringContaining("complianceExportsDeleted"),
    });
  });
});

describe("the retention-purge cron", () => {
  it("records its summary in cron_runs", async () => {
    const controller = createScheduledController({ cron: "0 3 * * *", scheduledTime: Date.now() });

    await runScheduled(controller, env);

    const [run] = await listCronRuns(db, "retention-purge", 1);
    expect(run?.status).toBe("succeeded");
    expect(JSON.parse(run?.summary ?? "{}")).toMatchObject({
      orderEventsDeleted: expect.any(Number),
      deadLettersDeleted: expect.any(Number),
      metricsDeleted: expect.any(Number),
      failed: "",
    });
  });
});
