import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appendAudit } from "../../src/audit/append";
import { verifyAuditChain } from "../../src/audit/verify";
import { openDatabase } from "../../src/db/client";

const db = openDatabase(env.DB);
const OPERATOR = { authorization: "Bearer operator-token-0123456789" };

function change(n: number) {
  return {
    actor: n % 2 ? "connector:erp" : "admin:operator",
    action: "price_entry.updated",
    subject: `test-shop.myshopify.com/price-lists/list-usd/skus/SKU-${n}`,
    before: { unitPrice: `${n}.00` },
    after: { unitPrice: `${n + 1}.00` },
  };
}

describe("audit log", () => {
  it("chains entries and verifies the chain", async () => {
    await appendAudit(db, [change(1), change(2)]);
    await appendAudit(db, [change(3)]);

    const verdict = await verifyAuditChain(db);

    expect(verdict).toMatchObject({ ok: true, entries: 3 });
  });

  it("keeps one chain under concurrent appends", async () => {
    await Promise.all([4, 5, 6, 7].map((n) => appendAudit(db, [change(n)])));

    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 7 });
  });

  it("lists entries through the admin API with filters", async () => {
    const response = await exports.default.fetch(
      new Request("https://hub.test/admin/api/audit?actor=connector:erp&limit=2", {
        headers: OPERATOR,
      }),
    );
    const body = (await response.json()) as {
      items: { actor: string; seq: number; after: unknown }[];
      nextBefore: number;
    };

    expect(response.status).toBe(200);
    expect(body.items).toHaveLength(2);
    expect(body.items.every((item) => item.actor === "connector:erp")).toBe(true);
    expect(body.items[0]?.after).toEqual({ unitPrice: "8.00" });
    expect(body.nextBefore).toBe(body.items[1]?.seq);
  });

  it("exports matching entries oldest first as CSV and as JSON", async () => {
    const csv = await exports.default.fetch(
      new Request("https://hub.test/admin/api/audit/export?actor=connector:erp", {
        headers: OPERATOR,
      }),
    );
    const text = await csv.text();
    const [header, ...rows] = text.trim().split("\r\n");

    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="audit-.*\.csv"/);
    expect(header).toBe("seq,at,actor,action,subject,before,after,prevHash,hash");
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0]).toContain('"{""unitPrice"":""1.00""}"');

    const json = await exports.default.fetch(
      new Request("https://hub.test/admin/api/audit/export?format=json", { headers: OPERATOR }),
    );
    const body = (await json.json()) as {
      items: { seq: number; prevHash: string; hash: string }[];
    };
    const seqs = body.items.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (let i = 1; i < body.items.length; i++) {
      expect(body.items[i]?.prevHash).toBe(body.items[i - 1]?.hash);
    }
  });

  it("rejects a bad filter with the field named", async () => {
    const response = await exports.default.fetch(
      new Request("https://hub.test/admin/api/audit?since=yesterday", { headers: OPERATOR }),
    );
    const body = (await response.json()) as { errors: { field: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors[0]?.field).toBe("since");
  });

  it("detects an edited entry", async () => {
    await env.DB.prepare("UPDATE audit_log SET after = ? WHERE seq = 2")
      .bind('{"unitPrice":"0.01"}')
      .run();

    const verdict = await verifyAuditChain(db);
    const response = await exports.default.fetch(
      new Request("https://hub.test/admin/api/audit/verify", { headers: OPERATOR }),
    );

    expect(verdict).toMatchObject({ ok: false, brokenAt: 2, reason: "hash_mismatch" });
    expect(response.status).toBe(409);
  });

  it("detects a deleted entry", async () => {
    await env.DB.prepare("UPDATE audit_log SET after = ? WHERE seq = 2")
      .bind(JSON.stringify({ unitPrice: "3.00" }))
      .run();
    await env.DB.prepare("DELETE FROM audit_log WHERE seq = 4").run();

    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 4, reason: "seq_gap" });
  });
});
