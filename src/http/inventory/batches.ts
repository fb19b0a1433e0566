import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { STOCK_FAN_OUT, settleConcurrently } from "../../inventory/fan-out";
import {
  type StockUpdate,
  StockUpdateLineSchema,
  toStockUpdate,
  type UpdateOutcome,
} from "../../inventory/operations";
import { stockObject } from "../../inventory/push/message";
import { describeError } from "../../observability/logger";
import { formatTraceparent, nextTrace } from "../../observability/trace";
import type { HubEnv } from "../context";
import { parseInput } from "../validation";
import { readBoundedText, verifyOmsCall } from "./oms-signature";
import { requireServedShop } from "./shop";

/**
 * Lines per batch. Each distinct SKU costs one Durable Object call, and Workers allow
 * 10,000 subrequests per request on the paid plan; 5,000 leaves room for the rest and
 * keeps a batch (about 150 bytes a line) near 1 MB.
 */
export const MAX_BATCH_LINES = 5000;
/** A full batch with generous SKUs and location codes stays under this. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** The batch around the lines; each line is checked on its own. */
export const InventoryBatchSchema = z.object({
  shop: ShopDomainSchema,
  batchId: z.string().min(1).max(200),
  updates: z.array(z.unknown()).min(1).max(MAX_BATCH_LINES),
});

/** What became of one line. */
export type LineStatus =
  | UpdateOutcome
  | { status: "rejected"; reason: "invalid_line"; errors: { field: string; message: string }[] }
  | { status: "failed"; reason: "stock_unavailable" };

/** One line's result, in the order the lines came. */
export type BatchLineResult = {
  index: number;
  sku: string | null;
  locationId: string | null;
} & LineStatus;

const UNAVAILABLE: LineStatus = { status: "failed", reason: "stock_unavailable" };

const BATCH_STATUSES = ["accepted", "duplicate", "ignored_stale", "rejected", "failed"] as const;

/**
 * `POST /v1/inventory/batches`: OMS/WMS stock snapshots and deltas, signed with
 * OMS_SIGNING_SECRET. Answers 207 with one result per line; a bad line is rejected with
 * its reason and never holds back the good ones. Sending the same batch again is safe:
 * applied lines come back as duplicates. docs/inventory.md describes the semantics.
 */
export const inventoryBatches = new Hono<HubEnv>();

inventoryBatches.post("/batches", async (c) => {
  const body = await readBoundedText(c.req.raw, MAX_BATCH_BYTES);
  const signed = verifyOmsCall(c.var.settings, body, c.req.header());
  const batch = parseInput(InventoryBatchSchema, signed, "body");
  requireServedShop(c.var.settings, batch.shop);
  const logger = c.var.logger.with({ shop: batch.shop, batchId: batch.batchId });

  const results: BatchLineResult[] = new Array(batch.updates.length);
  const bySku = new Map<string, { index: number; locationId: string; update: StockUpdate }[]>();
  for (const [index, raw] of batch.updates.entries()) {
    const line = StockUpdateLineSchema.safeParse(raw);
    if (!line.success) {
      const errors = line.error.issues.map((issue) => ({
        field: issue.path.join(".") || "(line)",
        message: issue.message,
      }));
      results[index] = {
        index,
        ...identify(raw),
        status: "rejected",
        reason: "invalid_line",
        errors,
      };
      continue;
    }
    const group = bySku.get(line.data.sku) ?? [];
    group.push({ index, locationId: line.data.locationId, update: toStockUpdate(line.data) });
    bySku.set(line.data.sku, group);
  }

  const groups = [...bySku];
  const outcomes = await settleConcurrently(groups, STOCK_FAN_OUT, ([sku, lines]) =>
    stockObject(c.env, batch.shop, sku).applyUpdates(
      { shop: batch.shop, sku },
      lines.map((line) => line.update),
      formatTraceparent(nextTrace(c.var.trace)),
    ),
  );
  for (const [groupIndex, [sku, lines]] of groups.entries()) {
    const outcome = outcomes[groupIndex];
    if (outcome?.status === "rejected") {
      logger.error("stock object failed a batch", { sku, ...describeError(outcome.reason) });
    }
    for (const [lineIndex, line] of lines.entries()) {
      const status: LineStatus =
        outcome?.status === "fulfilled" ? (outcome.value[lineIndex] ?? UNAVAILABLE) : UNAVAILABLE;
      results[line.index] = { index: line.index, sku, locationId: line.locationId, ...status };
    }
  }

  const summary = Object.fromEntries(
    BATCH_STATUSES.map((status) => [status, results.filter((r) => r.status === status).length]),
  );
  logger.info("inventory batch applied", summary);
  return c.json({ batchId: batch.batchId, shop: batch.shop, summary, results }, 207);
});

/** The SKU and location of a line that did not parse, when they can be read at all. */
function identify(raw: unknown): { sku: string | null; locationId: string | null } {
  const parsed = z
    .object({ sku: z.string().optional(), locationId: z.string().optional() })
    .safeParse(raw);
  return {
    sku: parsed.success ? (parsed.data.sku ?? null) : null,
    locationId: parsed.success ? (parsed.data.locationId ?? null) : null,
  };
}
