import { Hono } from "hono";
import { z } from "zod";
import { raiseAlert } from "../../alerts/raise";
import { ShopDomainSchema } from "../../config/settings";
import { STOCK_FAN_OUT, settleConcurrently } from "../../inventory/fan-out";
import { type ReservationView, SkuSchema } from "../../inventory/operations";
import { stockObject } from "../../inventory/push/message";
import { describeError } from "../../observability/logger";
import { formatTraceparent, nextTrace } from "../../observability/trace";
import type { HubEnv } from "../context";
import { parseInput } from "../validation";
import { readBoundedText, verifyOmsCall } from "./oms-signature";
import { requireServedShop } from "./shop";

/** Confirmations per call; each is one Durable Object call (see MAX_BATCH_LINES). */
export const MAX_CONFIRMATIONS = 1000;
const MAX_CONFIRMATION_BYTES = 1024 * 1024;

/**
 * The OMS's word on an order line: `confirm` the quantity it will ship (which may differ
 * from what was ordered), `commit` what it shipped, or `release` what it will not ship.
 */
export const ConfirmationSchema = z
  .object({
    confirmationId: z.string().min(1).max(200),
    orderId: z.string().regex(/^\d+$/, "must be Shopify's numeric order id"),
    lineId: z.string().regex(/^\d+$/, "must be Shopify's numeric line item id"),
    sku: SkuSchema,
    action: z.enum(["confirm", "commit", "release"]),
    quantity: z.number().int().min(0).max(1_000_000_000).optional(),
  })
  .refine((line) => line.action !== "confirm" || line.quantity !== undefined, {
    message: "confirm needs the confirmed quantity",
    path: ["quantity"],
  });
export type Confirmation = z.infer<typeof ConfirmationSchema>;

export const ConfirmationBatchSchema = z.object({
  shop: ShopDomainSchema,
  confirmations: z.array(z.unknown()).min(1).max(MAX_CONFIRMATIONS),
});

type ConfirmationResult = { index: number; confirmationId: string | null } & (
  | { status: "applied" | "duplicate"; reservation: ReservationView }
  | { status: "rejected"; reason: "invalid_line"; errors: { field: string; message: string }[] }
  | { status: "failed"; reason: "stock_unavailable" }
);

/**
 * `POST /v1/inventory/confirmations`: OMS reservation confirmations, signed like batches.
 * Answers 207 with one result per confirmation. A confirmed quantity above what was
 * reserved holds more stock, backordering (and alerting on) what is not there.
 */
export const inventoryConfirmations = new Hono<HubEnv>();

inventoryConfirmations.post("/confirmations", async (c) => {
  const body = await readBoundedText(c.req.raw, MAX_CONFIRMATION_BYTES);
  const signed = verifyOmsCall(c.var.settings, body, c.req.header());
  const batch = parseInput(ConfirmationBatchSchema, signed, "body");
  requireServedShop(c.var.settings, batch.shop);
  const shop = batch.shop;
  const logger = c.var.logger.with({ shop });

  const parsed = batch.confirmations.map((raw) => ConfirmationSchema.safeParse(raw));
  const outcomes = await settleConcurrently(parsed, STOCK_FAN_OUT, async (line) => {
    if (!line.success) return undefined;
    return applyConfirmation(c.env, shop, line.data, formatTraceparent(nextTrace(c.var.trace)));
  });

  const results: ConfirmationResult[] = [];
  for (const [index, line] of parsed.entries()) {
    const outcome = outcomes[index];
    if (!line.success) {
      const errors = line.error.issues.map((issue) => ({
        field: issue.path.join(".") || "(line)",
        message: issue.message,
      }));
      const id = z.object({ confirmationId: z.string() }).safeParse(batch.confirmations[index]);
      results.push({
        index,
        confirmationId: id.success ? id.data.confirmationId : null,
        status: "rejected",
        reason: "invalid_line",
        errors,
      });
    } else if (outcome?.status === "fulfilled" && outcome.value) {
      const reservation = outcome.value;
      await alertBackorder(c.env, shop, line.data, reservation);
      results.push({
        index,
        confirmationId: line.data.confirmationId,
        status: reservation.outcome,
        reservation,
      });
    } else {
      if (outcome?.status === "rejected") {
        logger.error("stock object failed a confirmation", describeError(outcome.reason));
      }
      const failed = { status: "failed", reason: "stock_unavailable" } as const;
      results.push({ index, confirmationId: line.data.confirmationId, ...failed });
    }
  }

  logger.info("inventory confirmations applied", { confirmations: results.length });
  return c.json({ shop, results }, 207);
});

function applyConfirmation(
  env: Cloudflare.Env,
  shop: string,
  line: Confirmation,
  traceparent: string,
) {
  const stock = stockObject(env, shop, line.sku);
  const key = { shop, sku: line.sku };
  if (line.action === "confirm") {
    return stock.adjust(
      key,
      {
        orderId: line.orderId,
        lineId: line.lineId,
        quantity: line.quantity ?? 0,
        confirmationId: line.confirmationId,
      },
      traceparent,
    );
  }
  return stock.settle(
    key,
    {
      orderId: line.orderId,
      lineId: line.lineId,
      action: line.action,
      source: `oms_confirmation:${line.confirmationId}`.slice(0, 100),
    },
    traceparent,
  );
}

async function alertBackorder(
  env: Cloudflare.Env,
  shop: string,
  line: Confirmation,
  reservation: ReservationView,
): Promise<void> {
  if (reservation.backordered === 0) return;
  if (reservation.status !== "pending" && reservation.status !== "held") return;
  await raiseAlert(env, {
    kind: "backorder",
    severity: "ticket",
    key: `backorder:${shop}:${line.sku}:${reservation.reservationId}`,
    shop,
    detail: {
      sku: line.sku,
      orderId: reservation.orderId,
      lineId: reservation.lineId,
      quantity: reservation.quantity,
      backordered: reservation.backordered,
    },
  });
}
