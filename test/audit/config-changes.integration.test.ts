import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditConfigChanges } from "../../src/audit/config-changes";
import { verifyAuditChain } from "../../src/audit/verify";
import { runScheduled } from "../../src/cron/dispatch";
import { openDatabase } from "../../src/db/client";
import { auditLog, configSnapshot } from "../../src/db/schema";
import { envWith } from "../support/env";

const db = openDatabase(env.DB);
// The test bindings with CDP_SIGNING_SECRET certainly unset (a developer's .dev.vars may set it).
const testBindings = envWith({ CDP_SIGNING_SECRET: "" });

async function configEntries() {
  const rows = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.subject, "hub:config"))
    .orderBy(asc(auditLog.seq));
  return rows.map((row) => ({
    actor: row.actor,
    action: row.action,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  }));
}

beforeEach(async () => {
  await db.delete(configSnapshot);
});

describe("configuration changes in the audit log", () => {
  it("records a baseline first, with secrets only as set", async () => {
    expect(await auditConfigChanges(db, testBindings)).toBe("baseline");

    const [baseline] = await configEntries();
    expect(baseline).toMatchObject({ actor: "deploy", action: "config.baseline", before: null });
    expect(baseline?.after).toMatchObject({
      LOG_LEVEL: "debug",
      SHOPIFY_API_SECRET: "set",
      CDP_SIGNING_SECRET: "(unset)",
    });
  });

  it("audits a deploy that changed a var and a secret, without the secret's value or digest", async () => {
    await auditConfigChanges(db, testBindings);
    const earlier = (await configEntries()).length - 1;
    const deployed = envWith({
      CDP_SIGNING_SECRET: "new-cdp-secret",
      LOG_LEVEL: "warn",
      SHOPIFY_API_SECRET: "rotated-secret-value",
    });

    expect(await auditConfigChanges(db, deployed)).toBe("changed");
    expect(await auditConfigChanges(db, deployed)).toBe("unchanged");

    const entries = (await configEntries()).slice(earlier);
    expect(entries.map((entry) => entry.action)).toEqual(["config.baseline", "config.changed"]);
    const change = entries[1];
    expect(change?.before).toEqual({
      LOG_LEVEL: "debug",
      SHOPIFY_API_SECRET: "set",
      CDP_SIGNING_SECRET: "(unset)",
    });
    expect(change?.after).toEqual({
      LOG_LEVEL: "warn",
      SHOPIFY_API_SECRET: "changed",
      CDP_SIGNING_SECRET: "set",
    });

    const stored = JSON.stringify(await db.select().from(auditLog));
    expect(stored).not.toContain("rotated-secret-value");
    expect(stored).not.toContain("sha256:");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("audits a removed secret as removed", async () => {
    await auditConfigChanges(db, envWith({ ERP_SIGNING_SECRET: "erp-secret" }));
    await auditConfigChanges(db, envWith({ ERP_SIGNING_SECRET: "" }));

    const entries = await configEntries();
    expect(entries.at(-1)).toMatchObject({
      action: "config.changed",
      before: { ERP_SIGNING_SECRET: "set" },
      after: { ERP_SIGNING_SECRET: "removed" },
    });
  });

  it("writes one entry when two runs see the same change at once", async () => {
    await auditConfigChanges(db, env);
    const before = (await configEntries()).length;
    const deployed = envWith({ QUEUE_MAX_ATTEMPTS: "9" });

    const outcomes = await Promise.all([
      auditConfigChanges(db, deployed),
      auditConfigChanges(db, deployed),
      auditConfigChanges(db, deployed),
    ]);

    expect(outcomes.filter((outcome) => outcome === "changed")).toHaveLength(1);
    expect(await configEntries()).toHaveLength(before + 1);
  });

  it("puts the snapshot back when the entry cannot be appended, so the next run audits it", async () => {
    await auditConfigChanges(db, env);
    const deployed = envWith({ RETRY_BASE_SECONDS: "3" });
    // The audit append is the only caller of `batch` here.
    const broken = new Proxy(db, {
      get(target, property, receiver) {
        if (property === "batch") {
          return () => Promise.reject(new Error("D1 batch failed (injected)"));
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

    await expect(auditConfigChanges(broken, deployed)).rejects.toThrow("injected");
    expect(await auditConfigChanges(db, deployed)).toBe("changed");
    expect((await configEntries()).at(-1)?.after).toEqual({ RETRY_BASE_SECONDS: "3" });
  });

  it("runs before every cron job", async () => {
    await runScheduled(
      createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }),
      envWith({ LOG_LEVEL: "info" }),
    );

    const [snapshot] = await db.select().from(configSnapshot);
    expect(JSON.parse(snapshot?.settings ?? "{}")).toMatchObject({ LOG_LEVEL: "info" });
  });
});
