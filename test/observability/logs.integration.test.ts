import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client";
import { complianceRequests } from "../../src/db/schema";
import { deliver, eventually } from "../support/webhooks";

const CANARIES = [
  "canary.person@example.com",
  "+1-555-0199-canary",
  "Canary Lastname",
  "1 Canary Wharf",
];

const canaryCustomer = {
  id: 31337,
  email: CANARIES[0],
  phone: CANARIES[1],
  first_name: "Canary",
  last_name: "Lastname",
  default_address: { name: CANARIES[2], address1: CANARIES[3] },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("logging", () => {
  it("writes no personal data from webhooks, good or bad, into any log line", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });

    const webhookId = `canary-${crypto.randomUUID()}`;
    const payload = {
      shop_id: 1,
      shop_domain: "test-shop.myshopify.com",
      customer: canaryCustomer,
      orders_to_redact: [1],
    };
    expect((await deliver(payload, { topic: "customers/redact", webhookId })).status).toBe(202);
    expect((await deliver(payload, { topic: "customers/redact", secret: "wrong" })).status).toBe(
      401,
    );
    // Queued, then parked by the order consumer as invalid: its logs are checked too.
    expect((await deliver({ customer: canaryCustomer }, { topic: "orders/create" })).status).toBe(
      202,
    );
    expect((await deliver({ customer: canaryCustomer }, { topic: "products/update" })).status).toBe(
      200,
    );
    expect((await deliver(payload, { body: `{"broken": "${CANARIES[0]}"` })).status).toBe(400);
    expect(
      (
        await deliver(
          { customer: "not an object", email: CANARIES[0] },
          { topic: "customers/data_request" },
        )
      ).status,
    ).toBe(202);

    await eventually(async () => {
      const db = openDatabase(env.DB);
      const [row] = await db
        .select()
        .from(complianceRequests)
        .where(eq(complianceRequests.webhookId, webhookId));
      return row?.completedAt ? row : undefined;
    });
    // Give the consumer of the malformed data request time to park it.
    await eventually(async () =>
      lines.some((line) => line.includes("parked")) ? true : undefined,
    );

    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      for (const canary of CANARIES) expect(line).not.toContain(canary);
    }
  });
});
