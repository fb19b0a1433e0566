import { z } from "zod";

/**
 * The stand-in's B2B catalogue: product variants with SKUs and price lists holding fixed
 * prices, quantity price breaks and quantity rules per variant, per shop.
 */

const LegacyId = z.string().regex(/^\d+$/);

/** `POST /_control/price-lists/seed`: variants and (empty) price lists, added to what is there. */
export const PriceListSeedSchema = z.object({
  shop: z.string().min(1),
  variants: z
    .array(z.object({ legacyResourceId: LegacyId, sku: z.string().nullable() }))
    .default([]),
  priceLists: z
    .array(z.object({ legacyResourceId: LegacyId, currency: z.string().regex(/^[A-Z]{3}$/) }))
    .default([]),
});
export type PriceListSeed = z.input<typeof PriceListSeedSchema>;

export interface StoredMoney {
  amount: string;
  currencyCode: string;
}

export interface StoredPriceList {
  id: string;
  currency: string;
  /** By variant GID. */
  prices: Map<string, StoredMoney>;
  breaks: Map<string, { minimumQuantity: number; price: StoredMoney }[]>;
  rules: Map<string, { minimum: number; maximum: number | null; increment: number }>;
}

export interface ShopCatalogue {
  /** Variant GID → SKU. */
  variants: Map<string, string | null>;
  priceLists: Map<string, StoredPriceList>;
}

/** Every shop's variants and price lists, in memory. */
export class PriceListStandIn {
  private shops = new Map<string, ShopCatalogue>();

  shop(shop: string): ShopCatalogue {
    let state = this.shops.get(shop);
    if (!state) {
      state = { variants: new Map(), priceLists: new Map() };
      this.shops.set(shop, state);
    }
    return state;
  }

  seed(seed: z.infer<typeof PriceListSeedSchema>): void {
    const state = this.shop(seed.shop);
    for (const variant of seed.variants) {
      state.variants.set(`gid://shopify/ProductVariant/${variant.legacyResourceId}`, variant.sku);
    }
    for (const list of seed.priceLists) {
      const id = `gid://shopify/PriceList/${list.legacyResourceId}`;
      state.priceLists.set(id, {
        id,
        currency: list.currency,
        prices: new Map(),
        breaks: new Map(),
        rules: new Map(),
      });
    }
  }

  /** A price list as JSON: each priced variant's SKU, price, breaks and rule. */
  snapshot(shop: string) {
    const state = this.shop(shop);
    return [...state.priceLists.values()].map((list) => ({
      id: list.id,
      currency: list.currency,
      variants: [...new Set([...list.prices.keys(), ...list.rules.keys()])].sort().map((id) => ({
        id,
        sku: state.variants.get(id) ?? null,
        price: list.prices.get(id) ?? null,
        breaks: list.breaks.get(id) ?? [],
        rule: list.rules.get(id) ?? null,
      })),
    }));
  }

  reset(): void {
    this.shops.clear();
  }
}
