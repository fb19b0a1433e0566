import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { listOrderEvents } from "../../db/order-events";
import { describeOrder, listOrderTargets } from "../../db/order-exports";
import { replayOrder } from "../../orders/replay";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

const ListQuerySchema = z.object({
  shop: ShopDomainSchema.optional(),
  connector: z.enum(["erp", "oms", "cdp"]).optional(),
  status: z.enum(["pending", "awaiting_ack", "exported", "rejected"]).optional(),
  name: z.string().min(1).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ShopQuerySchema = z.object({ shop: ShopDomainSchema });
const OrderIdSchema = z.string().regex(/^\d+$/, "must be Shopify's numeric order id");

/** `/admin/api/orders`: where each order is in its export, and replay by order id. */
export const orderAdminRoutes = new Hono<AdminEnv>();

orderAdminRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(ListQuerySchema, c.req.query(), "query");
  const rows = await listOrderTargets(c.var.db, { ...query, orderName: query.name });
  const last = rows.at(-1);
  return c.json({
    items: rows.map(({ leaseOwner: _owner, leaseUntil: _until, ...row }) => row),
    nextBefore: rows.length === query.limit && last ? last.firstSeenAt : null,
  });
});

orderAdminRoutes.get("/:orderId", requireScope("read"), async (c) => {
  const orderId = parseInput(OrderIdSchema, c.req.param("orderId"), "path");
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  const [ledger, events] = await Promise.all([
    describeOrder(c.var.db, shop, orderId),
    listOrderEvents(c.var.db, shop, orderId),
  ]);
  if (ledger.targets.length === 0 && events.length === 0) throw unknownOrder(shop, orderId);

  return c.json({
    shop,
    orderId,
    orderName: ledger.targets.find((target) => target.orderName)?.orderName ?? null,
    connectors: ledger.targets.map(({ leaseOwner: _owner, leaseUntil, ...target }) => ({
      ...target,
      inProgress: leaseUntil > Date.now(),
    })),
    effects: ledger.exports,
    events: events.map((event) => ({
      event: event.eventKey,
      orderUpdatedAt: event.orderUpdatedAt,
      keptAt: event.updatedAt,
    })),
  });
});

orderAdminRoutes.post("/:orderId/replay", requireScope("operate"), async (c) => {
  const orderId = parseInput(OrderIdSchema, c.req.param("orderId"), "path");
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  const queued = await replayOrder(c.env, c.var.db, shop, orderId, `order:${orderId}`);
  if (queued === 0) throw unknownOrder(shop, orderId);

  c.var.logger.info("order replayed by operator", { shop, orderId, operator: c.var.admin.name });
  return c.json({ status: "enqueued", shop, orderId, events: queued }, 202);
});

function unknownOrder(shop: string, orderId: string): ProblemError {
  return new ProblemError(
    404,
    "unknown_order",
    "The hub has no record of this order",
    `No events or exports for order ${orderId} of ${shop}.`,
  );
}
