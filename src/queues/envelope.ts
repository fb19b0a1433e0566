import { z } from "zod";
import { ShopDomainSchema } from "../config/settings";
import { DOMAINS } from "../shopify/topics";

export const PayloadRefSchema = z.object({
  key: z.string().min(1),
  bytes: z.number().int().positive(),
});

/**
 * What the webhook ingress puts on a domain queue: the delivery's identity, its trace and
 * the payload, inline or (when it would not fit a queue message) by reference to R2.
 * Consumers parse every message with this schema before acting on it.
 */
export const EnvelopeSchema = z
  .object({
    version: z.literal(1),
    domain: z.enum(DOMAINS),
    topic: z.string().min(1),
    shop: ShopDomainSchema,
    webhookId: z.string().min(1),
    eventId: z.string().min(1),
    triggeredAt: z.string().min(1),
    receivedAt: z.iso.datetime(),
    apiVersion: z.string().min(1),
    traceparent: z.string().min(1),
    subjects: z.object({ orderId: z.string().optional(), customerId: z.string().optional() }),
    payload: z.unknown().optional(),
    payloadRef: PayloadRefSchema.optional(),
    /** Set when an operator replays a dead letter; the handler's idempotency still applies. */
    replayOf: z.string().optional(),
  })
  .refine((envelope) => (envelope.payload === undefined) !== (envelope.payloadRef === undefined), {
    message: "an envelope carries exactly one of payload and payloadRef",
  });
export type Envelope = z.infer<typeof EnvelopeSchema>;
