import type { Settings } from "../config/settings";
import { connectorConfig } from "../connectors/config";
import { queryConnector } from "../connectors/request";
import type { Database } from "../db/client";
import { loadPriceBook } from "../db/price-books";
import type { Logger } from "../observability/logger";
import { formatTraceparent, nextTrace } from "../observability/trace";
import { PermanentError } from "../queues/errors";
import { applyBookChanges } from "./apply";
import { assembleBook, type PriceBookPage, PriceBookPageSchema } from "./assemble";
import { BookRuleError } from "./book-rules";
import { diffBooks } from "./diff";
import { publishPriceBook } from "./publish";

// A runaway cursor must end: 2,000 pages of a few thousand rows is far past any book.
const MAX_PAGES = 2000;
// Who the audit log names for changes that came from the nightly pull.
export const ERP_ACTOR = "connector:erp";

export interface ImportDeps {
  db: Database;
  kv: KVNamespace;
  settings: Settings;
  logger: Logger;
}

export interface ImportSummary {
  shop: string;
  pages: number;
  changes: number;
  version: number | null;
  published: string;
}

/**
 * The nightly job: for each shop, pulls the ERP's whole price book page by page, stores
 * what differs from D1 as a new version (rows the ERP no longer sends are deleted), and
 * publishes it to KV as a new generation. Idempotent: an unchanged book makes no version
 * and only republishes. Skips everything when ERP_URL is not set.
 * @throws {RetryableError} when the ERP or KV fails (the run is recorded as failed)
 * @throws {PermanentError} when the ERP's book breaks the protocol or the book's rules
 */
export async function importPriceBooks(deps: ImportDeps): Promise<ImportSummary[]> {
  const erp = connectorConfig(deps.settings, "erp");
  if (!erp) {
    deps.logger.info("ERP_URL is not set; no price books to pull");
    return [];
  }

  const summaries: ImportSummary[] = [];
  for (const shop of deps.settings.SHOPS) {
    const pages = await pullPages(erp, shop);
    let book: ReturnType<typeof assembleBook>;
    try {
      book = assembleBook(pages);
    } catch (error) {
      if (!(error instanceof BookRuleError)) throw error;
      throw new PermanentError("price_book_invalid", `${shop}: ${error.message}`, { cause: error });
    }

    // TODO(soon): take the publish lease across diff and write, so an on-demand change
    // landing mid-pull is not overwritten by this (older) snapshot.
    const current = await loadPriceBook(deps.db, shop);
    const changes = diffBooks(current, book, true);
    const applied = await applyBookChanges(
      deps.db,
      shop,
      ERP_ACTOR,
      "full",
      changes,
      book.priceLists,
    );
    const outcome = await publishPriceBook(deps, shop, { full: true, waitMs: 30_000 });

    summaries.push({
      shop,
      pages: pages.length,
      changes: changes.length,
      version: applied.version ?? null,
      published: outcome.status,
    });
  }
  return summaries;
}

async function pullPages(
  erp: NonNullable<ReturnType<typeof connectorConfig>>,
  shop: string,
): Promise<PriceBookPage[]> {
  const pages: PriceBookPage[] = [];
  const traceparent = formatTraceparent(nextTrace(undefined));
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ shop, ...(cursor ? { cursor } : {}) });
    const page = await queryConnector(
      erp,
      {
        method: "GET",
        path: `/v1/price-books?${query}`,
        requestId: `price-books:${shop}:${crypto.randomUUID()}`,
        traceparent,
      },
      PriceBookPageSchema,
    );
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length >= MAX_PAGES && cursor) {
      throw new PermanentError("price_book_too_long", `${shop}: more than ${MAX_PAGES} pages`);
    }
  } while (cursor);
  return pages;
}
