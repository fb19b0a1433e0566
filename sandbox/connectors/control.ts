import { Hono } from "hono";
import { z } from "zod";
import { FaultRequestSchema } from "./faults";
import { type Target, TargetSchema } from "./order-event";
import { SeedBookSchema, SeedQuoteSchema } from "./price-books";
import { SandboxProblem } from "./problem";
import { type ConnectorSystems, resetConnectorSystems } from "./system";

/**
 * `/_control/*`: how a person or a test steers the simulated ERP and OMS — queue faults,
 * read what each system stored and every call it answered, start over. docs/sandbox.md
 * documents each route.
 */
export function controlRoutes(systems: ConnectorSystems): Hono {
  const app = new Hono();
  const all = Object.values(systems);

  app.post("/faults", async (c) => {
    const parsed = FaultRequestSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new SandboxProblem(
        400,
        "invalid_fault",
        "Invalid fault",
        z.prettifyError(parsed.error),
      );
    }

    const { target, ...fault } = parsed.data;
    const { faults } = systems[target];
    faults.add(fault);
    return c.json({ target, faults: faults.list() }, 201);
  });

  app.get("/faults", (c) => {
    const target = readTarget(c.req.query("target"));
    return c.json({ target, faults: systems[target].faults.list() });
  });

  app.delete("/faults", (c) => {
    const raw = c.req.query("target");
    const cleared = raw === undefined ? all : [systems[readTarget(raw)]];
    for (const system of cleared) system.faults.clear();
    return c.json({ cleared: cleared.map((system) => system.target) });
  });

  app.get("/orders", (c) => {
    const target = readTarget(c.req.query("target"));
    return c.json({ target, orders: systems[target].ledger.orders() });
  });

  app.get("/calls", (c) => {
    const target = readTarget(c.req.query("target"));
    return c.json({ target, calls: systems[target].ledger.calls() });
  });

  app.post("/price-books", async (c) => {
    const parsed = SeedBookSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new SandboxProblem(
        400,
        "invalid_book",
        "Invalid price book",
        z.prettifyError(parsed.error),
      );
    }
    systems.erp.prices.seed(parsed.data);
    return c.json({ shop: parsed.data.shop, seeded: true }, 201);
  });

  app.get("/price-books", (c) => {
    const book = systems.erp.prices.book(c.req.query("shop") ?? "");
    if (!book) throw new SandboxProblem(404, "no_book", "No price book seeded for that shop");
    return c.json(book);
  });

  app.post("/price-quotes", async (c) => {
    const parsed = SeedQuoteSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new SandboxProblem(
        400,
        "invalid_quote",
        "Invalid quote",
        z.prettifyError(parsed.error),
      );
    }
    systems.erp.prices.seedQuote(parsed.data);
    return c.json({ seeded: true }, 201);
  });

  app.post("/reset", (c) => {
    resetConnectorSystems(systems);
    return c.json({ reset: all.map((system) => system.target) });
  });

  return app;
}

function readTarget(raw: string | undefined): Target {
  const target = TargetSchema.safeParse(raw);
  if (!target.success) {
    throw new SandboxProblem(
      400,
      "invalid_target",
      "Unknown target",
      `target must be one of ${TargetSchema.options.join(", ")}`,
    );
  }
  return target.data;
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (error) {
    throw new SandboxProblem(400, "invalid_fault", "Body is not JSON", String(error));
  }
}
