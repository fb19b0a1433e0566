import { Hono } from "hono";
import { Webhook } from "standardwebhooks";
import { connectorConfig } from "../../connectors/config";
import { loadBookRows } from "../../db/price-books";
import { applyBookChanges } from "../../pricing/apply";
import { BookRuleError } from "../../pricing/book-rules";
import { keysOf, PriceChangesSchema, planChanges } from "../../pricing/change-request";
import { ERP_ACTOR } from "../../pricing/import";
import { publishPriceBook } from "../../pricing/publish";
import { PermanentError } from "../../queues/errors";
import type { HubEnv } from "../context";
import { unknownShop } from "../prices/resolve";
import { ProblemError } from "../problem";
import { parseInput } from "../validation";

// The ERP waits on this answer; a publisher holding the lease longer leaves the work to
// the five-minute sweep.
const PUBLISH_WAIT_MS = 2000;

/**
 * `POST /connectors/erp/price-changes`: the ERP's on-demand price-list, assignment and
 * promotion changes, signed like the hub's own connector calls (docs/connectors.md
 * "Price books"). Applied to D1 in order as one new version, audited, then published
 * incrementally. A repeated delivery changes nothing and makes no version.
 */
export const priceChangeRoutes = new Hono<HubEnv>();

priceChangeRoutes.post("/erp/price-changes", async (c) => {
  const erp = erpConfig(c.var.settings);
  const body = await c.req.text();
  let payload: unknown;
  try {
    payload = new Webhook(erp.signingSecret).verify(body, c.req.header());
  } catch {
    throw new ProblemError(
      401,
      "invalid_signature",
      "Price change signature is not valid",
      "Sign the body with ERP_SIGNING_SECRET using Standard Webhooks headers.",
    );
  }
  const request = parseInput(PriceChangesSchema, payload, "body");
  if (!c.var.settings.SHOPS.includes(request.shop)) throw unknownShop(request.shop);

  const db = c.var.db;
  const current = await loadBookRows(db, request.shop, keysOf(request.changes));
  let changes: ReturnType<typeof planChanges>;
  try {
    changes = planChanges(current, request.changes);
  } catch (error) {
    if (!(error instanceof BookRuleError)) throw error;
    throw new ProblemError(422, error.code, "The change breaks a price-book rule", error.message, {
      field: error.path,
    });
  }

  const applied = await applyBookChanges(
    db,
    request.shop,
    ERP_ACTOR,
    "incremental",
    changes,
    current.priceLists,
  );
  if (applied.version === undefined) return c.json({ status: "unchanged", changes: 0 });

  const published = await publishPriceBook(
    { db, kv: c.env.PRICES, logger: c.var.logger },
    request.shop,
    { incremental: { version: applied.version, changes }, waitMs: PUBLISH_WAIT_MS },
  );
  c.var.logger.info("price changes applied", {
    shop: request.shop,
    version: applied.version,
    changes: changes.length,
    published: published.status,
  });
  return c.json(
    {
      status: "applied",
      version: applied.version,
      changes: changes.length,
      published: published.status === "published" ? published.mode : published.status,
    },
    published.status === "busy" ? 202 : 200,
  );
});

function erpConfig(settings: HubEnv["Variables"]["settings"]) {
  let erp: ReturnType<typeof connectorConfig>;
  try {
    erp = connectorConfig(settings, "erp");
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    throw new ProblemError(500, "misconfigured", "The hub is misconfigured", error.message);
  }
  if (!erp) {
    throw new ProblemError(404, "connector_not_configured", "The erp connector is not configured");
  }
  return erp;
}
