import { Hono } from "hono";
import type { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { FaultQueue } from "./faults";
import { jsonResponse, problemResponse, SandboxProblem } from "./problem";

/**
 * The ERP's price books as the sandbox plays them: a whole book per shop, seeded through
 * `POST /_control/price-books`, served page by page at `GET /v1/price-books`, and contract
 * quotes seeded through `POST /_control/price-quotes`, answered at `POST /v1/prices/quote`.
 * Books are stored as sent (wire format, decimal strings); the hub checks them.
 */

const ItemsSchema = z.array(z.record(z.string(), z.unknown()));

export const SeedBookSchema = z.object({
  shop: z.string().min(1),
  priceLists: ItemsSchema.default([]),
  entries: ItemsSchema.default([]),
  assignments: ItemsSchema.default([]),
  promotions: ItemsSchema.default([]),
  /** Items per page, so a test or a person can make the hub page through a small book. */
  pageSize: z.number().int().positive().max(10_000).default(500),
});
export type SeedBook = z.infer<typeof SeedBookSchema>;

export const SeedQuoteSchema = z.object({
  shop: z.string().min(1),
  priceListId: z.string().min(1),
  sku: z.string().min(1),
  /** `null` seeds a definite "no contract price". */
  tiers: z.array(z.object({ minQuantity: z.number().int(), unitPrice: z.string() })).nullable(),
});

const KINDS = ["priceLists", "entries", "assignments", "promotions"] as const;

/** Books and quotes of one simulated ERP, in memory. */
export class PriceBookStore {
  #books = new Map<string, SeedBook>();
  #quotes = new Map<string, z.infer<typeof SeedQuoteSchema>["tiers"]>();

  seed(book: SeedBook): void {
    this.#books.set(book.shop, book);
  }

  book(shop: string): SeedBook | undefined {
    return this.#books.get(shop);
  }

  seedQuote(quote: z.infer<typeof SeedQuoteSchema>): void {
    this.#quotes.set(`${quote.shop}|${quote.priceListId}|${quote.sku}`, quote.tiers);
  }

  /** The seeded tiers, `null` for a seeded "none", `undefined` when never seeded. */
  quote(shop: string, priceListId: string, sku: string) {
    return this.#quotes.get(`${shop}|${priceListId}|${sku}`);
  }

  /** Items `[offset, offset + pageSize)` of the shop's book, in kind order, and the next cursor. */
  page(shop: string, offset: number) {
    const book = this.#books.get(shop);
    const items = book ? KINDS.flatMap((kind) => book[kind].map((item) => ({ kind, item }))) : [];
    const size = book?.pageSize ?? 500;
    const slice = items.slice(offset, offset + size);
    const page: Record<(typeof KINDS)[number], unknown[]> = {
      priceLists: [],
      entries: [],
      assignments: [],
      promotions: [],
    };
    for (const { kind, item } of slice) page[kind].push(item);
    const next = offset + size;
    return { ...page, nextCursor: next < items.length ? String(next) : null };
  }

  reset(): void {
    this.#books.clear();
    this.#quotes.clear();
  }
}

const QuoteRequestSchema = z.object({
  shop: z.string(),
  priceListId: z.string(),
  skus: z.array(z.string()),
});

/**
 * `GET /v1/price-books` and `POST /v1/prices/quote` of the simulated ERP. Both check the
 * Standard Webhooks signature (over an empty body for the GET); queued faults apply.
 */
export function priceBookRoutes(system: {
  webhook: Webhook;
  faults: FaultQueue;
  prices: PriceBookStore;
}): Hono {
  const app = new Hono();

  app.get("/v1/price-books", async (c) => {
    verify(system.webhook, "", c.req.raw.headers);
    const refused = await applyFault(system.faults);
    if (refused) return refused;

    const shop = c.req.query("shop") ?? "";
    const offset = Number(c.req.query("cursor") ?? "0");
    if (!Number.isInteger(offset) || offset < 0) {
      throw new SandboxProblem(400, "invalid_cursor", "Unknown cursor");
    }
    return c.json(system.prices.page(shop, offset));
  });

  app.post("/v1/prices/quote", async (c) => {
    const body = await c.req.text();
    verify(system.webhook, body, c.req.raw.headers);
    const refused = await applyFault(system.faults);
    if (refused) return refused;

    const request = QuoteRequestSchema.safeParse(JSON.parse(body));
    if (!request.success) {
      throw new SandboxProblem(
        400,
        "invalid_body",
        "Invalid quote request",
        z.prettifyError(request.error),
      );
    }
    const { shop, priceListId, skus } = request.data;
    return c.json({
      quotes: skus.map((sku) => ({
        sku,
        tiers: system.prices.quote(shop, priceListId, sku) ?? null,
      })),
    });
  });

  return app;
}

function verify(webhook: Webhook, body: string, headers: Headers): void {
  try {
    webhook.verify(body, Object.fromEntries(headers), { jsonParse: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message : "signature check failed";
    throw new SandboxProblem(401, "invalid_signature", "Signature verification failed", detail);
  }
}

/** Latency waits; failures answer now; other fault modes do not apply to reads. */
async function applyFault(faults: FaultQueue): Promise<Response | undefined> {
  const fault = faults.take();
  if (!fault) return undefined;
  if (fault.mode === "latency") await scheduler.wait(fault.ms);
  if (fault.mode === "down" || fault.mode === "fail") {
    const status = fault.mode === "fail" ? fault.status : 503;
    return problemResponse(new SandboxProblem(status, "injected_failure", "Injected failure"));
  }
  if (fault.mode === "reject") return jsonResponse(fault.status, { reason: fault.reason });
  return undefined;
}
