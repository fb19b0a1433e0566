import { z } from "zod";
import { ShopDomainSchema } from "../config/settings";

/**
 * The inputs and answers of the SkuStock Durable Object. Routes and queue handlers parse
 * untrusted input into these shapes; the object parses them again where they enter it.
 */

/** Shopify caps a SKU at 255 characters. */
export const SkuSchema = z.string().trim().min(1).max(255);
/** The OMS/WMS location code, as the OMS names it (docs/inventory.md, mapping). */
export const LocationIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s]+$/, "must not contain whitespace");

// Shopify rejects quantities above 1,000,000,000 (INVALID_QUANTITY_TOO_HIGH).
const MAX_QUANTITY = 1_000_000_000;
const Quantity = z.number().int().min(0).max(MAX_QUANTITY);

/** Which object: one per shop and SKU. */
export const StockKeySchema = z.object({ shop: ShopDomainSchema, sku: SkuSchema });
export type StockKey = z.infer<typeof StockKeySchema>;

/** How a location's updates are ordered: OMS sequence numbers or source timestamps. */
export const OrderingSchema = z.enum(["sequence", "timestamp"]);
export type Ordering = z.infer<typeof OrderingSchema>;

/**
 * One OMS/WMS line as the batch endpoint receives it. `sequence` (monotonic per SKU and
 * location) or `sourceTimestamp` orders it; exactly one must be present.
 */
export const StockUpdateLineSchema = z
  .object({
    sku: SkuSchema,
    locationId: LocationIdSchema,
    kind: z.enum(["snapshot", "delta"]),
    onHand: Quantity.optional(),
    delta: z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY).optional(),
    safetyStock: Quantity.optional(),
    sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    sourceTimestamp: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((line, ctx) => {
    if ((line.sequence === undefined) === (line.sourceTimestamp === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of sequence and sourceTimestamp" });
    }
    if (line.kind === "snapshot" && (line.onHand === undefined || line.delta !== undefined)) {
      ctx.addIssue({ code: "custom", message: "a snapshot carries onHand and no delta" });
    }
    if (line.kind === "delta" && (line.delta === undefined || line.onHand !== undefined)) {
      ctx.addIssue({ code: "custom", message: "a delta carries delta and no onHand" });
    }
  });
export type StockUpdateLine = z.infer<typeof StockUpdateLineSchema>;

/** A line as the object applies it: the quantity and its position in the location's order. */
export const StockUpdateSchema = z.object({
  locationId: LocationIdSchema,
  kind: z.enum(["snapshot", "delta"]),
  /** On-hand for a snapshot, the change for a delta. */
  quantity: z.number().int(),
  safetyStock: Quantity.optional(),
  ordering: OrderingSchema,
  /** The sequence number, or the source timestamp in epoch milliseconds. */
  position: z.number().int().min(0),
});
export type StockUpdate = z.infer<typeof StockUpdateSchema>;

/** Turns a validated batch line into the update the object applies. */
export function toStockUpdate(line: StockUpdateLine): StockUpdate {
  const byTimestamp = line.sourceTimestamp !== undefined;
  return {
    locationId: line.locationId,
    kind: line.kind,
    quantity: line.kind === "snapshot" ? (line.onHand ?? 0) : (line.delta ?? 0),
    ...(line.safetyStock === undefined ? {} : { safetyStock: line.safetyStock }),
    ordering: byTimestamp ? "timestamp" : "sequence",
    position: byTimestamp ? Date.parse(line.sourceTimestamp ?? "") : (line.sequence ?? 0),
  };
}

/** What became of one update line. */
export type UpdateOutcome =
  | { status: "accepted" }
  | { status: "duplicate" }
  | { status: "ignored_stale"; reason: "older_than_snapshot" }
  | { status: "rejected"; reason: "ordering_mismatch"; detail: string };

/** A reservation's id: one per order line (`{orderId}:{lineId}`). */
export function reservationIdOf(orderId: string, lineId: string): string {
  return `${orderId}:${lineId}`;
}

const ReservationRef = {
  orderId: z.string().min(1).max(64),
  lineId: z.string().min(1).max(64),
};

/** Hold stock for an order line. `expiresAt` (epoch ms) for unpaid orders, else null. */
export const ReserveInputSchema = z.object({
  ...ReservationRef,
  quantity: Quantity.min(1),
  expiresAt: z.number().int().nullable(),
});
export type ReserveInput = z.infer<typeof ReserveInputSchema>;

/** Release (order cancelled, OMS release) or commit (fulfilled) an order line's hold. */
export const SettleInputSchema = z.object({
  ...ReservationRef,
  action: z.enum(["release", "commit"]),
  /** Where the instruction came from, for the operation log (`orders/cancelled`, ...). */
  source: z.string().min(1).max(100),
});
export type SettleInput = z.infer<typeof SettleInputSchema>;

/** The OMS confirmed a different quantity for an order line. */
export const AdjustInputSchema = z.object({
  ...ReservationRef,
  quantity: Quantity,
  confirmationId: z.string().min(1).max(200),
});
export type AdjustInput = z.infer<typeof AdjustInputSchema>;

export const RESERVATION_STATUSES = [
  "pending",
  "held",
  "committed",
  "released",
  "expired",
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A reservation as callers see it after an operation. */
export interface ReservationView {
  reservationId: string;
  orderId: string;
  lineId: string;
  status: ReservationStatus;
  /** What the order line asks for (after OMS adjustments). */
  quantity: number;
  /** Units held at locations. */
  allocated: number;
  /** Units the line asked for that no location had: the backorder. */
  backordered: number;
  expiresAt: string | null;
  /** `applied` when this call changed something, `duplicate` when it was already done. */
  outcome: "applied" | "duplicate";
}

/** One location's state for the read API. */
export interface LocationStock {
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
  /** The `available` Shopify last confirmed for this location; null before the first push. */
  shopifyAvailable: number | null;
  updatedAt: string;
}

/** A SKU's state for the read API. */
export interface StockView {
  shop: string;
  sku: string;
  locations: LocationStock[];
  totals: { onHand: number; reserved: number; safetyStock: number; available: number };
  backordered: number;
  openReservations: number;
}

/** The push consumer's work for one SKU: each location whose ATS Shopify does not show yet. */
export interface PushPlan {
  shop: string;
  sku: string;
  quantities: { locationId: string; available: number; lastConfirmed: number | null }[];
}

/** One location as the nightly sanity check compares it with Shopify. */
export interface LocationCheck {
  locationId: string;
  /** The hub's ATS now. */
  available: number;
  /** What Shopify last confirmed; null before the first push. */
  shopifyAvailable: number | null;
  /** On-hand in the OMS's last accepted snapshot; null without one (or once its log entry is pruned). */
  omsSnapshot: number | null;
}

/** A SKU's locations for the sanity check; null from an object that was never written. */
export interface StockCheckView {
  shop: string;
  sku: string;
  locations: LocationCheck[];
}
