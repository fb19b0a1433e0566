import type { Database } from "../db/client";
import { loadOrderKnowledge, type OrderKnowledge } from "../db/order-knowledge";
import { readWatermark, writeWatermark } from "../db/watermarks";
import { describeError } from "../observability/logger";
import { enqueueEnvelope } from "../queues/enqueue";
import { PermanentError, RetryableError } from "../queues/errors";
import { isDomainHandled } from "../queues/handlers";
import { fetchOrderForExport } from "../shopify/admin/order-for-export";
import { listOrdersUpdatedSince, type UpdatedOrder } from "../shopify/admin/orders-updated-since";
import type { AdminContext } from "../shopify/admin/run-operation";
import { domainsOfTopic } from "../shopify/topics";
import { orderDigest } from "./export";
import { missedTopics, reconciledEnvelope } from "./missed-events";
import { readOrderEvent } from "./order-event";

/** The watermark's job name in D1. */
export const ORDERS_RECONCILIATION_JOB = "orders-reconciliation";
/** Pages of 100 orders listed per shop and run; the next run continues from the watermark. */
export const MAX_PAGES_PER_RUN = 5;
/** Full orders fetched per shop and run, so a backlog cannot drain the shop's API budget. */
export const MAX_FETCHES_PER_RUN = 50;
/** The first run of a shop looks this far back. */
export const FIRST_RUN_LOOKBACK_MS = 24 * 60 * 60 * 1000;
// Shopify's order search is fed asynchronously: an order changed a moment ago may not be
// listed yet. The watermark never passes now minus this margin, so such an order is listed
// by the next run instead of being skipped forever.
const SEARCH_INDEX_LAG_MS = 60_000;

export interface ReconcileContext extends AdminContext {
  db: Database;
}

/** An order version the hub had missed and has now put on its queues. */
export interface FedOrder {
  orderId: string;
  name: string;
  updatedAt: string;
  topics: string[];
}

/** What one reconciliation of one shop did; stored in `cron_runs.summary`. */
export interface ShopReconciliation {
  shop: string;
  since: string;
  /** The watermark after the run (unchanged when nothing could be handled). */
  watermark: string;
  listed: number;
  fed: FedOrder[];
  /** Already received (`seen`), same content as exported (`unchanged`), deleted (`gone`). */
  skipped: { seen: number; unchanged: number; gone: number };
  /** True when every order up to the watermark cap was handled; false: the next run goes on. */
  complete: boolean;
  /** The order the run stopped at; the watermark stays at its `updatedAt`. */
  failed?: { orderId: string; code: string; message: string; retryable: boolean };
}

type Outcome = { kind: "fed"; topics: string[] } | { kind: "seen" | "unchanged" | "gone" };

/**
 * Finds orders of `shop` changed in Shopify since the watermark whose latest version the
 * hub never received, and feeds each through the same path as a delivered webhook (the
 * orders queue, and the inventory queue for the topics the ingress sends there). Orders are
 * handled oldest change first; the first failure stops the run and holds the watermark at
 * that order, so the watermark only ever passes what was fed.
 */
export async function reconcileShopOrders(
  ctx: ReconcileContext,
  shop: string,
  now = Date.now(),
): Promise<ShopReconciliation> {
  const stored = await readWatermark(ctx.db, shop, ORDERS_RECONCILIATION_JOB);
  const since = stored ?? new Date(now - FIRST_RUN_LOOKBACK_MS).toISOString();
  const cap = now - SEARCH_INDEX_LAG_MS;
  const result: ShopReconciliation = {
    shop,
    since,
    watermark: since,
    listed: 0,
    fed: [],
    skipped: { seen: 0, unchanged: 0, gone: 0 },
    complete: false,
  };

  // Everything listed before this moment was handled; a run that lists to the end has
  // handled everything up to the cap.
  let handledThrough = cap;
  let lastHandled = Date.parse(since);
  let cursor: string | undefined;
  let fetches = 0;
  run: for (let page = 0; ; page += 1) {
    if (page === MAX_PAGES_PER_RUN) {
      handledThrough = lastHandled;
      break;
    }
    const listing = await listOrdersUpdatedSince(ctx, shop, since, cursor);
    const ids = listing.orders.map((order) => order.legacyResourceId);
    const known = await loadOrderKnowledge(ctx.db, shop, ids);

    for (const order of listing.orders) {
      result.listed += 1;
      const updatedAtMs = Date.parse(order.updatedAt);
      const knowledge = known.get(order.legacyResourceId);
      const needsFetch = (knowledge?.latestSeenMs ?? 0) < updatedAtMs;
      if (needsFetch && fetches === MAX_FETCHES_PER_RUN) {
        handledThrough = updatedAtMs;
        break run;
      }
      if (needsFetch) fetches += 1;

      try {
        const outcome = await reconcileOrder(ctx, shop, order, knowledge);
        if (outcome.kind === "fed") result.fed.push({ ...describe(order), topics: outcome.topics });
        else result.skipped[outcome.kind] += 1;
      } catch (error) {
        result.failed = failureOf(order, error);
        ctx.logger.warn("order reconciliation stopped", { shop, ...result.failed });
        handledThrough = updatedAtMs;
        break run;
      }
      lastHandled = Math.max(lastHandled, updatedAtMs);
    }

    if (!listing.pageInfo.hasNextPage || !listing.pageInfo.endCursor) {
      result.complete = true;
      break;
    }
    cursor = listing.pageInfo.endCursor;
  }

  const next = Math.max(Date.parse(since), Math.min(handledThrough, cap));
  result.watermark = new Date(next).toISOString();
  await writeWatermark(ctx.db, shop, ORDERS_RECONCILIATION_JOB, result.watermark);
  return result;
}

async function reconcileOrder(
  ctx: ReconcileContext,
  shop: string,
  listed: UpdatedOrder,
  known: OrderKnowledge | undefined,
): Promise<Outcome> {
  if (known && known.latestSeenMs >= Date.parse(listed.updatedAt)) return { kind: "seen" };

  const payload = await fetchOrderForExport(ctx, shop, listed.id);
  if (!payload) return { kind: "gone" };

  const apiVersion = ctx.settings.SHOPIFY_API_VERSION;
  const primary = reconciledEnvelope(
    shop,
    known ? "orders/updated" : "orders/create",
    payload,
    apiVersion,
  );
  // Parsing here, not only in the consumer, keeps a payload the export would refuse off the
  // queue, and gives the digest that tells the hub's own write-back (a tag) from a change.
  const event = readOrderEvent(primary, payload);
  if (!event || !("order" in event)) {
    throw new PermanentError("invalid_order_payload", "reconciled order did not parse as an order");
  }
  const digest = await orderDigest(event.order);
  const unchanged =
    known !== undefined &&
    known.exportedDigests.length > 0 &&
    known.exportedDigests.every((exported) => exported === digest);

  const topics = missedTopics(payload, known, unchanged);
  if (topics.length === 0) return { kind: "unchanged" };

  const body = await new Response(JSON.stringify(payload)).arrayBuffer();
  for (const topic of topics) {
    const envelope =
      topic === primary.topic ? primary : reconciledEnvelope(shop, topic, payload, apiVersion);
    for (const domain of domainsOfTopic(topic).filter(isDomainHandled)) {
      await enqueueEnvelope(ctx.env, ctx.db, { ...envelope, domain }, body);
    }
  }
  ctx.logger.info("missed order events fed", {
    shop,
    orderId: event.orderId,
    topics: topics.join(","),
  });
  return { kind: "fed", topics };
}

function describe(order: UpdatedOrder): Omit<FedOrder, "topics"> {
  return { orderId: order.legacyResourceId, name: order.name, updatedAt: order.updatedAt };
}

function failureOf(order: UpdatedOrder, error: unknown): NonNullable<ShopReconciliation["failed"]> {
  const code =
    error instanceof RetryableError || error instanceof PermanentError ? error.code : "unexpected";
  const message = describeError(error).errorMessage;
  return {
    orderId: order.legacyResourceId,
    code,
    message: String(message ?? "unknown error"),
    retryable: !(error instanceof PermanentError),
  };
}
