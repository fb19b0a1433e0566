import { Hono } from "hono";
import { z } from "zod";
import {
  deleteMapping,
  failedPushes,
  findMapping,
  findPriceList,
  listMappings,
  setMapping,
} from "../../db/price-list-sync";
import { BookIdSchema } from "../../pricing/identifiers";
import { pushShopPriceLists } from "../../pricing/shopify-push/push";
import { unknownShop } from "../prices/resolve";
import { ProblemError } from "../problem";
import { parseInput, readJson } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

/**
 * `/admin/api/price-lists`: map contract price lists to Shopify B2B PriceLists, see how
 * their pushes went, and push now (docs/pricing.md "Shopify B2B price lists").
 */
export const priceListRoutes = new Hono<AdminEnv>();

const ShopQuerySchema = z.object({ shop: z.string().min(1) });
const MappingSchema = z.object({
  shopifyPriceListId: z
    .string()
    .regex(/^gid:\/\/shopify\/PriceList\/\d{1,20}$/, "must be gid://shopify/PriceList/<id>"),
});
const PushSchema = z.object({ retryFailed: z.boolean().default(false) });
const MAX_FAILURES_LISTED = 200;

function shopOf(c: { req: { query(): Record<string, string> } }, served: readonly string[]) {
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  if (!served.includes(shop)) throw unknownShop(shop);
  return shop;
}

function listIdOf(raw: string): string {
  return parseInput(BookIdSchema, raw, "priceListId");
}

function view(row: Awaited<ReturnType<typeof listMappings>>[number]) {
  return {
    priceListId: row.priceListId,
    shopifyPriceListId: row.shopifyPriceListId,
    pushedVersion: row.pushedVersion,
    lastPushAt: row.lastPushAt === null ? null : new Date(row.lastPushAt).toISOString(),
    lastOutcome: row.lastOutcome === null ? null : (JSON.parse(row.lastOutcome) as unknown),
  };
}

priceListRoutes.get("/shopify", requireScope("read"), async (c) => {
  const shop = shopOf(c, c.var.settings.SHOPS);
  const rows = await listMappings(c.var.db, shop);
  return c.json({ shop, items: rows.map(view) });
});

priceListRoutes.put("/:priceListId/shopify", requireScope("operate"), async (c) => {
  const shop = shopOf(c, c.var.settings.SHOPS);
  const priceListId = listIdOf(c.req.param("priceListId"));
  const body = parseInput(MappingSchema, await readJson(c.req.raw), "body");

  const list = await findPriceList(c.var.db, shop, priceListId);
  if (!list) {
    throw new ProblemError(
      404,
      "price_list_not_found",
      "No such price list",
      `${shop} has no price list ${priceListId}`,
    );
  }
  if (list.kind !== "contract") {
    throw new ProblemError(
      422,
      "not_a_contract_list",
      "Only contract lists map to Shopify price lists",
      `${priceListId} is a ${list.kind} price list`,
    );
  }

  const row = await setMapping(c.var.db, shop, priceListId, body.shopifyPriceListId);
  c.var.logger.info("shopify price list mapped", {
    shop,
    priceListId,
    shopifyPriceListId: body.shopifyPriceListId,
  });
  return c.json(view(row));
});

priceListRoutes.delete("/:priceListId/shopify", requireScope("operate"), async (c) => {
  const shop = shopOf(c, c.var.settings.SHOPS);
  const priceListId = listIdOf(c.req.param("priceListId"));
  if (!(await findMapping(c.var.db, shop, priceListId))) {
    throw new ProblemError(
      404,
      "mapping_not_found",
      "The price list is not mapped to Shopify",
      priceListId,
    );
  }
  await deleteMapping(c.var.db, shop, priceListId);
  return c.body(null, 204);
});

priceListRoutes.get("/:priceListId/shopify/failures", requireScope("read"), async (c) => {
  const shop = shopOf(c, c.var.settings.SHOPS);
  const priceListId = listIdOf(c.req.param("priceListId"));
  const rows = await failedPushes(c.var.db, shop, priceListId, MAX_FAILURES_LISTED);
  return c.json({
    items: rows.map((row) => ({
      sku: row.sku,
      variantId: row.variantId,
      error: row.error,
      at: new Date(row.updatedAt).toISOString(),
    })),
  });
});

priceListRoutes.post("/shopify/push", requireScope("operate"), async (c) => {
  const shop = shopOf(c, c.var.settings.SHOPS);
  const options = parseInput(PushSchema, await readJson(c.req.raw), "body");
  const summary = await pushShopPriceLists(
    { env: c.env, settings: c.var.settings, logger: c.var.logger, db: c.var.db },
    shop,
    options,
  );
  return c.json(summary, summary.status === "throttled" ? 202 : 200);
});
