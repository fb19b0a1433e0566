import { Hono } from "hono";
import { z } from "zod";
import { getComplianceRequest, listComplianceRequests } from "../../db/compliance";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { assertRecordShop } from "./tenancy";

const ListQuerySchema = z.object({
  shop: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `/admin/compliance`: the GDPR requests Shopify sent and what the hub did about each. */
export const complianceRoutes = new Hono<AdminEnv>();

complianceRoutes.get("/requests", requireScope("read"), async (c) => {
  const query = parseInput(ListQuerySchema, c.req.query(), "query");
  const rows = await listComplianceRequests(c.var.db, query.shop, query.limit);
  return c.json({ items: rows.map(present) });
});

complianceRoutes.get("/requests/:id", requireScope("read"), async (c) => {
  const row = await getComplianceRequest(c.var.db, c.req.param("id"));
  if (!row) throw new ProblemError(404, "not_found", "No such compliance request");
  assertRecordShop(c.var.admin, row.shop);
  return c.json(present(row));
});

// The export holds the customer's personal data, so reading it takes the operator scope.
complianceRoutes.get("/requests/:id/export", requireScope("operate"), async (c) => {
  const row = await getComplianceRequest(c.var.db, c.req.param("id"));
  if (row) assertRecordShop(c.var.admin, row.shop);
  const result = row?.result ? (JSON.parse(row.result) as { exportKey?: unknown }) : undefined;
  if (!row || typeof result?.exportKey !== "string") {
    throw new ProblemError(404, "not_found", "No data export for this request");
  }

  const object = await c.env.PAYLOADS.get(result.exportKey);
  if (!object) throw new ProblemError(410, "export_gone", "The export was purged");
  c.var.logger.info("compliance export downloaded", { requestId: row.id });
  return new Response(object.body, { headers: { "content-type": "application/json" } });
});

function present(row: NonNullable<Awaited<ReturnType<typeof getComplianceRequest>>>) {
  return {
    id: row.id,
    shop: row.shop,
    topic: row.topic,
    webhookId: row.webhookId,
    receivedAt: new Date(row.receivedAt).toISOString(),
    completedAt: row.completedAt ? new Date(row.completedAt).toISOString() : null,
    result: row.result ? (JSON.parse(row.result) as unknown) : null,
  };
}
