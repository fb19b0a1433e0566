import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { STOCK_FAN_OUT, settleConcurrently } from "../../inventory/fan-out";
import { SkuSchema } from "../../inventory/operations";
import { stockObject } from "../../inventory/push/message";
import { describeError } from "../../observability/logger";
import { type AdminEnv, requireScope } from "../admin/auth";
import { ProblemError } from "../problem";
import { parseInput, readJson } from "../validation";
import { requireServedShop } from "./shop";

/** SKUs per query request: one Durable Object call each. */
export const MAX_QUERY_SKUS = 100;

const ShopQuerySchema = z.object({ shop: ShopDomainSchema });

export const StockQuerySchema = z.object({
  shop: ShopDomainSchema,
  skus: z.array(SkuSchema).min(1).max(MAX_QUERY_SKUS),
});

/**
 * Stock reads for operators and back-office tools, behind admin bearer tokens with the
 * `read` scope: `GET /v1/inventory/:sku?shop=` for one SKU per location, `POST
 * /v1/inventory/query` for up to 100 SKUs. A SKU the hub never heard of has no locations.
 */
export const inventoryReads = new Hono<AdminEnv>();

inventoryReads.post("/query", requireScope("read"), async (c) => {
  const query = parseInput(StockQuerySchema, await readJson(c.req.raw), "body");
  requireServedShop(c.var.settings, query.shop);
  const skus = [...new Set(query.skus)];

  const views = await settleConcurrently(skus, STOCK_FAN_OUT, (sku) =>
    stockObject(c.env, query.shop, sku).view({ shop: query.shop, sku }),
  );
  const failed = views.findIndex((view) => view.status === "rejected");
  if (failed >= 0) {
    c.var.logger.error("stock object failed a query", { sku: skus[failed] });
    throw unavailable(skus[failed] ?? "");
  }
  return c.json({
    shop: query.shop,
    items: views.flatMap((view) => (view.status === "fulfilled" ? [view.value] : [])),
  });
});

inventoryReads.get("/:sku", requireScope("read"), async (c) => {
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  const sku = parseInput(SkuSchema, c.req.param("sku"), "path");
  requireServedShop(c.var.settings, shop);

  try {
    return c.json(await stockObject(c.env, shop, sku).view({ shop, sku }));
  } catch (error) {
    c.var.logger.error("stock object failed a read", { sku, ...describeError(error) });
    throw unavailable(sku);
  }
});

function unavailable(sku: string): ProblemError {
  return new ProblemError(
    503,
    "stock_unavailable",
    "Stock could not be read",
    `The stock object for ${sku} did not answer; try again.`,
    {},
    { "retry-after": "1" },
  );
}
