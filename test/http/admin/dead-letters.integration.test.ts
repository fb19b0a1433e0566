import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { getComplianceRequest } from "../../../src/db/compliance";
import { getDeadLetter } from "../../../src/db/dead-letters";
import { EnvelopeSchema } from "../../../src/queues/envelope";
import { parkComplianceLetter } from "../../support/dead-letters";
import { envWith, fetchWith, recordingQueue } from "../../support/env";
import { eventually } from "../../support/webhooks";

const db = openDatabase(env.DB);
const OPERATOR = "Bearer operator-token-0123456789";
const VIEWER = "Bearer viewer-token-0123456789ab";

function park(overrides: { topic?: string; errorClass?: string; shop?: string } = {}) {
  const { errorClass, ...envelope } = overrides;
  return parkComplianceLetter(db, { envelope, ...(errorClass ? { errorClass } : {}) });
}

function call(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", init.token);
  return new Request(`https://hub.test/admin/api${path}`, { ...init, headers });
}

describe("admin auth", () => {
  it.each([
    ["no token", undefined, 401, "missing_token"],
    ["an unknown token", "Bearer not-a-real-token-at-all", 401, "invalid_token"],
    ["a malformed header", "Basic abc", 401, "missing_token"],
  ])("rejects %s", async (_case, token, status, reason) => {
    const response = await exports.default.fetch(call("/dead-letters", token ? { token } : {}));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("lets a read-only token list but not replay", async () => {
    const { id } = await park();
    expect((await exports.default.fetch(call("/dead-letters", { token: VIEWER }))).status).toBe(
      200,
    );

    const replay = await exports.default.fetch(
      call(`/dead-letters/${id}/replay`, { method: "POST", token: VIEWER }),
    );
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({
      reason: "insufficient_scope",
      requiredScope: "operate",
    });
  });
});

describe("/admin/api/dead-letters", () => {
  it("lists with filters and pages newest first", async () => {
    await park({ topic: "shop/redact", errorClass: "retries_exhausted" });
    await park({ topic: "shop/redact", errorClass: "retries_exhausted" });
    await park({ topic: "shop/redact", errorClass: "retries_exhausted" });

    const first = await exports.default.fetch(
      call("/dead-letters?errorClass=retries_exhausted&limit=2", { token: VIEWER }),
    );
    const page = (await first.json()) as {
      items: { errorClass: string; topic: string }[];
      nextBefore: number | null;
    };
    expect(page.items).toHaveLength(2);
    expect(page.items.every((item) => item.errorClass === "retries_exhausted")).toBe(true);
    expect(page.nextBefore).toBeTypeOf("number");
  });

  it("rejects a bad filter naming the field", async () => {
    const response = await exports.default.fetch(
      call("/dead-letters?limit=5000&domain=nope", { token: VIEWER }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((error) => error.field).sort()).toEqual(["domain", "limit"]);
  });

  it("shows one dead letter with its envelope, and 404s an unknown id", async () => {
    const { id, envelope } = await park();
    const response = await exports.default.fetch(call(`/dead-letters/${id}`, { token: VIEWER }));
    expect(await response.json()).toMatchObject({
      id,
      status: "open",
      envelope: { webhookId: envelope.webhookId },
    });

    const missing = await exports.default.fetch(call("/dead-letters/nope", { token: VIEWER }));
    expect(missing.status).toBe(404);
  });

  it("replays one dead letter onto its queue and marks it replayed", async () => {
    const { id, envelope } = await park();
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const response = await fetchWith(
      envWith({ COMPLIANCE_QUEUE: queue }),
      call(`/dead-letters/${id}/replay`, { method: "POST", token: OPERATOR }),
    );

    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
    expect(EnvelopeSchema.parse(queue.sent[0])).toMatchObject({
      webhookId: envelope.webhookId,
      replayOf: id,
    });
    expect(await getDeadLetter(db, id)).toMatchObject({ status: "replayed", replayCount: 1 });
  });

  it("replays a filtered set in one call", async () => {
    const shop = "other-shop.myshopify.com";
    const parked = [await park({ shop }), await park({ shop }), await park({ shop })];
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const response = await fetchWith(
      envWith({ COMPLIANCE_QUEUE: queue }),
      call("/dead-letters/replay", {
        method: "POST",
        token: OPERATOR,
        body: JSON.stringify({ shop, limit: 10 }),
      }),
    );

    const body = (await response.json()) as { replayed: string[] };
    expect(response.status).toBe(202);
    expect(body.replayed.sort()).toEqual(parked.map((item) => item.id).sort());
    expect(queue.sent).toHaveLength(3);
  });

  it("replays through the real queue and the consumer completes the work", async () => {
    const { id, envelope } = await park();
    await exports.default.fetch(
      call(`/dead-letters/${id}/replay`, { method: "POST", token: OPERATOR }),
    );

    const request = await eventually(() =>
      getComplianceRequest(db, `${envelope.shop}:${envelope.webhookId}`),
    );
    expect(request.completedAt).toBeTypeOf("number");
  });
});
