import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { complianceRequests, deadLetters } from "../../src/db/schema";
import { parseQueueName } from "../../src/queues/dispatch";
import { consume } from "../support/consume";
import { envWith } from "../support/env";
import { buildEnvelope } from "../support/envelopes";

const db = openDatabase(env.DB);

async function deadLetterFor(webhookId: string) {
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.webhookId, webhookId));
  return row;
}

// R2 that fails every read, to drive the retryable path.
const failingBucket = {
  get: () => Promise.reject(new Error("R2 unavailable (injected)")),
} as unknown as R2Bucket;

describe("parseQueueName", () => {
  it.each([
    ["hub-orders", { domain: "orders", deadLetter: false }],
    ["hub-prod-compliance-dlq", { domain: "compliance", deadLetter: true }],
    ["hub-staging-inventory", { domain: "inventory", deadLetter: false }],
    ["something-else", undefined],
  ])("reads %s", (name, expected) => {
    expect(parseQueueName(name)).toEqual(expected);
  });
});

describe("queue()", () => {
  it("handles a good message next to a poison one, parking only the poison", async () => {
    const good = buildEnvelope();
    const result = await consume("hub-compliance", [
      { id: "good", attempts: 1, body: good },
      { id: "poison", attempts: 1, body: { hello: "not an envelope" } },
    ]);

    expect(result.explicitAcks.sort()).toEqual(["good", "poison"]);
    expect(result.retryMessages).toEqual([]);
    const [request] = await db
      .select()
      .from(complianceRequests)
      .where(eq(complianceRequests.webhookId, good.webhookId));
    expect(request?.completedAt).toBeTypeOf("number");
    const parked = await db
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.errorClass, "invalid_message"));
    expect(parked).toHaveLength(1);
    expect(parked[0]?.errorCode).toBe("invalid_envelope");
    expect(JSON.parse(parked[0]?.envelope ?? "{}")).toEqual({ hello: "not an envelope" });
  });

  it("parks a permanent failure at once with its reason", async () => {
    const envelope = buildEnvelope({ payload: { shop_domain: "x", customer: "not an object" } });
    const result = await consume("hub-compliance", [{ id: "m1", attempts: 1, body: envelope }]);

    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await deadLetterFor(envelope.webhookId)).toMatchObject({
      errorClass: "permanent",
      errorCode: "invalid_compliance_payload",
      attempts: 1,
      status: "open",
      customerId: "42",
    });
  });

  it("retries a retryable failure with a backoff delay", async () => {
    const envelope = buildEnvelope({
      payload: undefined,
      payloadRef: { key: "payloads/x.json", bytes: 200_000 },
    });
    const result = await consume(
      "hub-compliance",
      [{ id: "m1", attempts: 2, body: envelope }],
      envWith({ PAYLOADS: failingBucket }),
    );

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    const delay = result.retryDelays.get("m1") ?? -1;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(4);
    expect(await deadLetterFor(envelope.webhookId)).toBeUndefined();
  });

  it("parks a retryable failure once its attempts are used up", async () => {
    const envelope = buildEnvelope({
      payload: undefined,
      payloadRef: { key: "payloads/y.json", bytes: 200_000 },
    });
    const result = await consume(
      "hub-compliance",
      [{ id: "m1", attempts: 8, body: envelope }],
      envWith({ PAYLOADS: failingBucket }),
    );

    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await deadLetterFor(envelope.webhookId)).toMatchObject({
      errorClass: "retries_exhausted",
      errorCode: "payload_store_unavailable",
      attempts: 8,
    });
  });

  it("records what the platform moved to a dead-letter queue", async () => {
    const envelope = buildEnvelope();
    const result = await consume("hub-compliance-dlq", [
      { id: "m1", attempts: 11, body: envelope },
    ]);

    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await deadLetterFor(envelope.webhookId)).toMatchObject({
      errorClass: "platform_dead_letter",
      errorCode: "max_retries_exceeded",
      domain: "compliance",
    });
  });

  it("retries a batch from a queue it does not know, dropping nothing", async () => {
    const result = await consume("mystery", [{ id: "m1", attempts: 1, body: buildEnvelope() }]);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
  });
});
