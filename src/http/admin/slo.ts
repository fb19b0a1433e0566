import { Hono } from "hono";
import { z } from "zod";
import { metricsReader } from "../../metrics/reader";
import { evaluateSlos, SLO_WINDOWS, SloWindowSchema } from "../../slo/evaluate";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { unavailable } from "./metrics-unavailable";

const SloQuerySchema = z.object({ window: SloWindowSchema.default("24h") });

/** `GET /admin/api/slo`: each configured SLO's attainment and error budget over a window. */
export const sloRoutes = new Hono<AdminEnv>();

sloRoutes.get("/", requireScope("read"), async (c) => {
  const { window } = parseInput(SloQuerySchema, c.req.query(), "query");
  const now = Date.now();

  const reader = metricsReader(c.env, c.var.settings);
  const items = await evaluateSlos(reader, c.var.settings.SLO_CONFIG, window, now).catch(
    unavailable,
  );
  return c.json({
    window,
    since: new Date(now - SLO_WINDOWS[window] * 1000).toISOString(),
    until: new Date(now).toISOString(),
    items,
  });
});
