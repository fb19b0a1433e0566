import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { findDriftRun, listDriftFindings } from "../../db/inventory-drift";
import { resyncShop } from "../../inventory/resync";
import { requireServedShop } from "../inventory/shop";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { type RetryWording, shopifyProblem } from "./shopify-problem";

const DriftQuerySchema = z.object({
  shop: ShopDomainSchema,
  runId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const ShopQuerySchema = z.object({ shop: ShopDomainSchema });

// A resync is one request an operator repeats, and the ERP's stock feed can be the part that
// failed, so its 503 says which side to wait for.
const RESYNC_RETRY: RetryWording = {
  title: "The resync did not finish; repeat it",
  reason: (code) => (code === "stock_unavailable" ? "stock_unavailable" : "shopify_unavailable"),
};

/**
 * `/admin/api/inventory`: the nightly sanity check's report (`GET /drift`, read) and the
 * on-demand full re-sync of a shop (`POST /resync`, operate). docs/api.md has the shapes.
 */
export const inventoryAdminRoutes = new Hono<AdminEnv>();

inventoryAdminRoutes.get("/drift", requireScope("read"), async (c) => {
  const query = parseInput(DriftQuerySchema, c.req.query(), "query");
  requireServedShop(c.var.settings, query.shop);

  const run = await findDriftRun(c.var.db, query.shop, query.runId);
  if (!run) {
    throw new ProblemError(
      404,
      "unknown_run",
      "No such inventory sanity check run",
      query.runId ?? `${query.shop} has not been checked yet.`,
    );
  }
  const findings = await listDriftFindings(c.var.db, run.id, query.limit);
  return c.json({
    run,
    findings: findings.map(({ runId: _runId, shop: _shop, id: _id, ...finding }) => finding),
    truncated: findings.length < run.drifted,
  });
});

inventoryAdminRoutes.post("/resync", requireScope("operate"), async (c) => {
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  const { settings, db, logger } = c.var;
  requireServedShop(settings, shop);

  try {
    const result = await resyncShop({ env: c.env, settings, db, logger }, shop);
    logger.info("inventory resynced by operator", {
      shop,
      operator: c.var.admin.name,
      skus: result.push.skus,
      mutations: result.push.mutations,
    });
    return c.json(result);
  } catch (error) {
    throw shopifyProblem(error, RESYNC_RETRY);
  }
});
