import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client";
import { storedPayloads, webhookReceipts } from "../../../src/db/schema";
import { EnvelopeSchema } from "../../../src/queues/envelope";
import { envWith, fetchWith, recordingQueue } from "../../support/env";
import { buildDelivery, PREVIOUS_SECRET, SHOP } from "../../support/webhooks";

const redactPayload = {
  shop_id: 1,
  shop_domain: SHOP,
  customer: { id: 42, email: "a@example.com" },
  orders_to_redact: [7],
};

async function send(
  payload: unknown,
  options: Parameters<typeof buildDelivery>[1] = {},
  failTimes = 0,
) {
  const queue = recordingQueue(env.COMPLIANCE_QUEUE, { failTimes });
  const response = await fetchWith(
    envWith({ COMPLIANCE_QUEUE: queue }),
    await buildDelivery(payload, options),
  );
  return { response, queue, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /webhooks/shopify signature", () => {
  it("accepts a body signed with the current secret", async () => {
    const { response, queue } = await send(redactPayload);
    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
  });

  it("accepts a body signed with the previous secret during rotation", async () => {
    const { response, queue } = await send(redactPayload, { secret: PREVIOUS_SECRET });
    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
  });

  it.each([
    ["an unknown secret", { secret: "not-the-secret" }, "mismatch"],
    ["a missing signature", { headers: { "x-shopify-hmac-sha256": undefined } }, "missing"],
    [
      "a signature that is not base64",
      { headers: { "x-shopify-hmac-sha256": "%%%not-base64%%%" } },
      "malformed",
    ],
    [
      "a signature of the wrong length",
      { headers: { "x-shopify-hmac-sha256": btoa("short") } },
      "malformed",
    ],
  ])("rejects %s with 401 and stores nothing", async (_case, options, reason) => {
    const webhookId = `sig-${reason}-${crypto.randomUUID()}`;
    const { response, queue, body } = await send(redactPayload, { ...options, webhookId });

    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ status: 401, reason: "invalid_signature" });
    expect(body.signature).toBe(reason);
    expect(queue.sent).toHaveLength(0);
    const receipts = await openDatabase(env.DB).select().from(webhookReceipts);
    expect(receipts.some((row) => row.webhookId === webhookId)).toBe(false);
  });

  it("rejects a body tampered with after signing", async () => {
    const signed = await buildDelivery(redactPayload);
    const tampered = new Request(signed, {
      body: JSON.stringify({ ...redactPayload, orders_to_redact: [8] }),
    });
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const response = await fetchWith(envWith({ COMPLIANCE_QUEUE: queue }), tampered);
    expect(response.status).toBe(401);
    expect(queue.sent).toHaveLength(0);
  });

  it("rejects the same JSON re-serialised with different whitespace", async () => {
    const original = JSON.stringify(redactPayload);
    const signed = await buildDelivery(redactPayload, { body: original });
    const reserialised = new Request(signed, { body: JSON.stringify(redactPayload, null, 2) });
    const response = await fetchWith(envWith({}), reserialised);
    expect(response.status).toBe(401);
  });
});

describe("POST /webhooks/shopify validation", () => {
  it("names every missing header in one 400", async () => {
    const { response, body } = await send(redactPayload, {
      headers: {
        "x-shopify-topic": undefined,
        "x-shopify-webhook-id": undefined,
        "x-shopify-event-id": undefined,
      },
    });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ reason: "invalid_headers" });
    expect(body.missing).toEqual(["x-shopify-topic", "x-shopify-webhook-id", "x-shopify-event-id"]);
  });

  it("reports an invalid header value", async () => {
    const { response, body } = await send(redactPayload, {
      headers: { "x-shopify-triggered-at": "yesterday" },
    });
    expect(response.status).toBe(400);
    expect(String(body.invalid)).toContain("x-shopify-triggered-at");
  });

  it("rejects a shop this hub does not serve with 403", async () => {
    const { response, body, queue } = await send(redactPayload, { shop: "stranger.myshopify.com" });
    expect(response.status).toBe(403);
    expect(body.reason).toBe("unknown_shop");
    expect(queue.sent).toHaveLength(0);
  });

  it("rejects malformed JSON with 400", async () => {
    const { response, body } = await send(undefined, { body: "{not json" });
    expect(response.status).toBe(400);
    expect(body.reason).toBe("malformed_json");
  });

  it("answers 413 for a body over the configured limit", async () => {
    const small = envWith({ WEBHOOK_MAX_BODY_BYTES: "1024" });
    const request = await buildDelivery({ ...redactPayload, padding: "x".repeat(4096) });
    const response = await fetchWith(small, request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ reason: "body_too_large" });
  });

  it("acknowledges and counts a topic the hub does not handle", async () => {
    const webhookId = `unhandled-${crypto.randomUUID()}`;
    const { response, body, queue } = await send({ id: 1 }, { topic: "carts/create", webhookId });
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: "ignored", reason: "topic_not_handled" });
    expect(queue.sent).toHaveLength(0);

    const [receipt] = await openDatabase(env.DB)
      .select()
      .from(webhookReceipts)
      .where(eqWebhook(webhookId));
    expect(receipt?.status).toBe("ignored");
  });
});

describe("POST /webhooks/shopify dedupe and enqueue", () => {
  it("enqueues a redelivered webhook once", async () => {
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const testEnv = envWith({ COMPLIANCE_QUEUE: queue });
    const webhookId = `dup-${crypto.randomUUID()}`;

    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await fetchWith(testEnv, await buildDelivery(redactPayload, { webhookId }))).status,
      );
    }
    expect(statuses).toEqual([202, 200, 200]);
    expect(queue.sent).toHaveLength(1);
  });

  it("enqueues concurrent deliveries of one webhook once", async () => {
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const testEnv = envWith({ COMPLIANCE_QUEUE: queue });
    const webhookId = `race-${crypto.randomUUID()}`;

    const requests = await Promise.all(
      Array.from({ length: 5 }, () => buildDelivery(redactPayload, { webhookId })),
    );
    const responses = await Promise.all(requests.map((request) => fetchWith(testEnv, request)));

    expect(queue.sent).toHaveLength(1);
    expect(responses.filter((response) => response.status === 202)).toHaveLength(1);
    // The others either saw the finished delivery (200) or were asked to retry (409).
    for (const response of responses) expect([200, 202, 409]).toContain(response.status);
  });

  it("answers 503 when the queue refuses, and the retry then succeeds", async () => {
    const queue = recordingQueue(env.COMPLIANCE_QUEUE, { failTimes: 1 });
    const testEnv = envWith({ COMPLIANCE_QUEUE: queue });
    const webhookId = `retry-${crypto.randomUUID()}`;

    const first = await fetchWith(testEnv, await buildDelivery(redactPayload, { webhookId }));
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("10");
    expect(await first.json()).toMatchObject({ reason: "enqueue_failed" });
    expect(queue.sent).toHaveLength(0);

    const retry = await fetchWith(testEnv, await buildDelivery(redactPayload, { webhookId }));
    expect(retry.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
  });

  it("puts a complete envelope on the domain queue", async () => {
    const webhookId = `envelope-${crypto.randomUUID()}`;
    const queue = recordingQueue(env.COMPLIANCE_QUEUE);
    const request = await buildDelivery(redactPayload, {
      webhookId,
      eventId: "event-123",
      headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    const response = await fetchWith(envWith({ COMPLIANCE_QUEUE: queue }), request);
    expect(response.status).toBe(202);

    const envelope = EnvelopeSchema.parse(queue.sent[0]);
    expect(envelope).toMatchObject({
      version: 1,
      domain: "compliance",
      topic: "customers/redact",
      shop: SHOP,
      webhookId,
      eventId: "event-123",
      triggeredAt: "2026-12-01T10:00:00.000Z",
      apiVersion: "2026-10",
      subjects: { customerId: "42" },
      payload: redactPayload,
    });
    expect(envelope.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(Date.parse(envelope.receivedAt)).not.toBeNaN();
    expect(response.headers.get("traceparent")).toContain("0af7651916cd43dd8448eb211c80319c");
  });

  it("moves a payload over the queue message limit to R2 and enqueues a reference", async () => {
    const webhookId = `large-${crypto.randomUUID()}`;
    const large = {
      ...redactPayload,
      note_attributes: Array.from({ length: 3000 }, (_, i) => ({
        name: `attr-${i}`,
        value: "v".repeat(60),
      })),
    };
    const { response, queue } = await send(large, { webhookId });
    expect(response.status).toBe(202);

    const envelope = EnvelopeSchema.parse(queue.sent[0]);
    expect(envelope.payload).toBeUndefined();
    expect(envelope.payloadRef?.bytes).toBeGreaterThan(128 * 1024);
    expect(new TextEncoder().encode(JSON.stringify(envelope)).byteLength).toBeLessThan(2048);

    const object = await env.PAYLOADS.get(envelope.payloadRef?.key ?? "");
    expect(await object?.json()).toEqual(large);
    const index = await openDatabase(env.DB).select().from(storedPayloads);
    expect(index.find((row) => row.webhookId === webhookId)).toMatchObject({
      customerId: "42",
      topic: "customers/redact",
    });
  });
});

function eqWebhook(webhookId: string) {
  return eq(webhookReceipts.webhookId, webhookId);
}
