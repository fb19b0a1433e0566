import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { listCronRuns } from "../../db/cron-runs";
import { listPayoutMismatches, listPayoutRuns } from "../../db/payout-reconciliation";
import { reconcileShopOrders } from "../../orders/reconcile";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { shopifyProblem } from "./shopify-problem";
import { assertShopAllowed } from "./tenancy";

const ShopQuerySchema = z.object({ shop: ShopDomainSchema });

/** `POST /admin/api/orders/reconcile?shop=`: the missed-webhook reconciliation, now. */
export const orderReconciliationRoutes = new Hono<AdminEnv>();

orderReconciliationRoutes.post("/", requireScope("operate"), async (c) => {
  const { shop } = parseInput(ShopQuerySchema, c.req.query(), "query");
  const { settings, db, logger } = c.var;
  assertShopAllowed(c.var.admin, shop);
  if (!settings.SHOPS.includes(shop)) {
    throw new ProblemError(
      404,
      "unknown_shop",
      "Shop is not served by this hub",
      `${shop} is not in SHOPS.`,
    );
  }

  try {
    const result = await reconcileShopOrders({ env: c.env, settings, db, logger }, shop);
    logger.info("orders reconciled by operator", {
      shop,
      operator: c.var.admin.name,
      fed: result.fed.length,
    });
    return c.json(result);
  } catch (error) {
    throw shopifyProblem(error);
  }
});

const CronRunsQuerySchema = z.object({
  job: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `GET /admin/api/cron-runs`: recent scheduled runs, newest first. */
export const cronRunRoutes = new Hono<AdminEnv>();

cronRunRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(CronRunsQuerySchema, c.req.query(), "query");
  // Run summaries cover every shop: only a token for all shops may read them.
  assertShopAllowed(c.var.admin, undefined);
  const runs = await listCronRuns(c.var.db, query.job, query.limit);
  return c.json({ items: runs.map((run) => ({ ...run, summary: parseSummary(run.summary) })) });
});

const PayoutRunsQuerySchema = z.object({
  shop: ShopDomainSchema.optional(),
  runId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** `GET /admin/api/reconciliation/payouts`: payout reconciliation runs with their mismatches. */
export const payoutReconciliationRoutes = new Hono<AdminEnv>();

payoutReconciliationRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(PayoutRunsQuerySchema, c.req.query(), "query");
  assertShopAllowed(c.var.admin, query.shop);
  const runs = await listPayoutRuns(c.var.db, query);
  if (query.runId && runs.length === 0) {
    throw new ProblemError(404, "unknown_run", "No such payout reconciliation run", query.runId);
  }

  const mismatches = await listPayoutMismatches(
    c.var.db,
    runs.map((run) => run.id),
  );
  return c.json({
    items: runs.map((run) => ({
      ...run,
      mismatches: mismatches
        .filter((mismatch) => mismatch.runId === run.id)
        .map(({ runId: _runId, shop: _shop, ...mismatch }) => mismatch),
    })),
  });
});

// Summaries are written by the hub as JSON; an unreadable one is shown as text, not hidden.
function parseSummary(summary: string | null): unknown {
  if (summary === null) return null;
  try {
    return JSON.parse(summary);
  } catch {
    return summary;
  }
}
