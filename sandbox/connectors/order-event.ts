import { z } from "zod";

/** The two downstream systems the sandbox plays. */
export const TargetSchema = z.enum(["erp", "oms"]);
export type Target = z.infer<typeof TargetSchema>;

/** The effects of the connector protocol (docs/connector-protocol.md). */
export const EffectSchema = z.enum(["create", "update", "cancel", "payment", "refund"]);
export type Effect = z.infer<typeof EffectSchema>;

/**
 * The body of `POST /v1/order-events`, checked only as far as a connector needs to file
 * it: the canonical order itself is stored as sent, whatever its shape.
 */
export const OrderEventSchema = z.object({
  effect: EffectSchema,
  shop: z.string().min(1),
  orderId: z.string().min(1),
  idempotencyKey: z.string().min(1),
  occurredAt: z.string().optional(),
  /** Every effect carries the order except `refund`, which carries the refund instead. */
  order: z.record(z.string(), z.unknown()).optional(),
  refund: z.record(z.string(), z.unknown()).optional(),
});
export type OrderEvent = z.infer<typeof OrderEventSchema>;
