import type { Envelope } from "../../src/queues/envelope";
import { SHOP } from "./webhooks";

let counter = 0;

/** A valid compliance-queue envelope; each case overrides what differs. */
export function buildEnvelope(overrides: Partial<Envelope> = {}): Envelope {
  counter += 1;
  return {
    version: 1,
    domain: "compliance",
    topic: "customers/redact",
    shop: SHOP,
    webhookId: `env-${counter}-${crypto.randomUUID()}`,
    eventId: `event-${counter}`,
    triggeredAt: "2026-12-01T10:00:00.000Z",
    receivedAt: "2026-12-01T10:00:01.000Z",
    apiVersion: "2026-10",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    subjects: { customerId: "42" },
    payload: { shop_domain: SHOP, customer: { id: 42 }, orders_to_redact: [] },
    ...overrides,
  };
}
