import { Hono } from "hono";
import { z } from "zod";
import { summariseReceipts } from "../../db/receipts";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

const SummaryQuerySchema = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
});

/** `/admin/webhooks`: what Shopify delivered, by shop, topic and outcome. */
export const webhookAdminRoutes = new Hono<AdminEnv>();

// The summary counts every shop's deliveries, so shop-restricted tokens cannot read it.
webhookAdminRoutes.get("/summary", requireScope("read", { tenancy: "hub" }), async (c) => {
  const query = parseInput(SummaryQuerySchema, c.req.query(), "query");
  const since = query.since ? Date.parse(query.since) : Date.now() - 24 * 60 * 60 * 1000;
  const rows = await summariseReceipts(c.var.db, since);
  return c.json({ since: new Date(since).toISOString(), items: rows });
});
