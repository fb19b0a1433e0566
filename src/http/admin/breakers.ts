import { Hono } from "hono";
import type { Settings } from "../../config/settings";
import {
  breakerFor,
  type ConnectorName,
  ConnectorNameSchema,
  isConfigured,
} from "../../connectors/breaker";
import type { BreakerSnapshot } from "../../durable-objects/circuit-breaker";
import { ProblemError } from "../problem";
import { type AdminEnv, requireScope } from "./auth";

/** A breaker's snapshot as the admin API shows it: plus whether the hub calls it at all. */
export type BreakerView = BreakerSnapshot & { configured: boolean };

/**
 * `/admin/api/breakers`: inspect the per-connector circuit breakers and force one closed.
 * The list shows only connectors whose URL setting is set; any known connector can be
 * read or reset by name.
 */
export const breakerRoutes = new Hono<AdminEnv>();

// Breaker states belong to no shop: shop-restricted tokens may read them, not reset them.
breakerRoutes.get("/", requireScope("read", { tenancy: "shared" }), async (c) => {
  const connectors = ConnectorNameSchema.options.filter((name) =>
    isConfigured(c.var.settings, name),
  );
  const items = await Promise.all(connectors.map((name) => view(c.env, c.var.settings, name)));
  return c.json({ items });
});

breakerRoutes.get("/:connector", requireScope("read", { tenancy: "shared" }), async (c) => {
  const connector = requireConnector(c.req.param("connector"));
  return c.json(await view(c.env, c.var.settings, connector));
});

breakerRoutes.post("/:connector/reset", requireScope("operate", { tenancy: "hub" }), async (c) => {
  const connector = requireConnector(c.req.param("connector"));
  const breaker = breakerFor(c.env, connector);

  await breaker.reset(c.var.admin.name);
  c.var.logger.info("circuit breaker reset", { connector });
  return c.json(await view(c.env, c.var.settings, connector));
});

async function view(
  env: Cloudflare.Env,
  settings: Settings,
  connector: ConnectorName,
): Promise<BreakerView> {
  const snapshot = await breakerFor(env, connector).snapshot();
  return { ...snapshot, configured: isConfigured(settings, connector) };
}

function requireConnector(name: string): ConnectorName {
  const parsed = ConnectorNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  throw new ProblemError(
    404,
    "unknown_connector",
    "No such connector",
    `Known connectors: ${ConnectorNameSchema.options.join(", ")}.`,
    { knownConnectors: ConnectorNameSchema.options },
  );
}
