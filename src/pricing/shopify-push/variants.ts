import type { Database } from "../../db/client";
import { cachedVariants, storeVariants, type VariantCacheRow } from "../../db/price-list-sync";
import { lookupVariants, SKUS_PER_VARIANT_LOOKUP } from "../../shopify/admin/price-lists";
import type { AdminContext } from "../../shopify/admin/run-operation";

/** How long a SKU Shopify did not know (or knew twice) is believed before asking again. */
export const UNMAPPED_RECHECK_MS = 24 * 60 * 60 * 1000;

/** A SKU's variant, or why it has none. */
export type VariantOf =
  | { variantId: string }
  | { error: "variant_not_found" | "variant_ambiguous" };

function verdict(row: VariantCacheRow): VariantOf {
  if (row.variantCount === 1 && row.variantId) return { variantId: row.variantId };
  return { error: row.variantCount === 0 ? "variant_not_found" : "variant_ambiguous" };
}

/**
 * The ProductVariant of each SKU, from the D1 cache, asking Shopify (50 SKUs a request)
 * only for SKUs it has never answered or answered without exactly one variant more than a
 * day ago. Each answered batch is cached before the next is asked, so a throttled run
 * keeps what it learned.
 * @throws {RetryableError} when the shop's Admin API budget or Shopify throttles.
 */
export async function variantsOf(
  ctx: AdminContext,
  db: Database,
  shop: string,
  skus: readonly string[],
  now = Date.now(),
): Promise<Map<string, VariantOf>> {
  const cached = await cachedVariants(db, shop, skus);
  const answers = new Map<string, VariantOf>();
  const ask: string[] = [];
  for (const sku of skus) {
    const row = cached.get(sku);
    const fresh = row && (row.variantCount === 1 || now - row.checkedAt < UNMAPPED_RECHECK_MS);
    if (row && fresh) answers.set(sku, verdict(row));
    else ask.push(sku);
  }

  for (let start = 0; start < ask.length; start += SKUS_PER_VARIANT_LOOKUP) {
    const batch = ask.slice(start, start + SKUS_PER_VARIANT_LOOKUP);
    const found = await lookupVariants(ctx, shop, batch);
    const rows: VariantCacheRow[] = batch.map((sku) => {
      const ids = found.get(sku) ?? [];
      return {
        shop,
        sku,
        variantId: ids.length === 1 ? (ids[0] ?? null) : null,
        variantCount: ids.length,
        checkedAt: now,
      };
    });
    await storeVariants(db, rows);
    for (const row of rows) answers.set(row.sku, verdict(row));
  }
  return answers;
}
