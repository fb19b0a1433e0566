import { z } from "zod";

/**
 * The stand-in's inventory: items with SKUs, locations, and the `available` quantity of
 * each item at each location, per shop, with the compare-and-set and idempotency-key
 * behaviour of `inventorySetQuantities`.
 */

const LegacyId = z.string().regex(/^\d+$/);

/** `POST /_control/inventory/seed`: locations and items (with `available` per location). */
export const InventorySeedSchema = z.object({
  shop: z.string().min(1),
  locations: z
    .array(
      z.object({
        legacyResourceId: LegacyId,
        name: z.string().min(1),
        /** The app-owned `$app:edge_hub.location_code` metafield, when set. */
        code: z.string().min(1).optional(),
        isActive: z.boolean().default(true),
      }),
    )
    .default([]),
  items: z
    .array(
      z.object({
        legacyResourceId: LegacyId,
        sku: z.string().nullable(),
        tracked: z.boolean().default(true),
        /** Location legacy id → available. */
        available: z.record(LegacyId, z.number().int()).default({}),
      }),
    )
    .default([]),
});
export type InventorySeed = z.input<typeof InventorySeedSchema>;

export interface StoredItem {
  id: string;
  sku: string | null;
  tracked: boolean;
}

export interface StoredLocation {
  id: string;
  name: string;
  code: string | undefined;
  isActive: boolean;
}

interface IdempotentAnswer {
  fingerprint: string;
  failed: boolean;
  data: Record<string, unknown>;
}

export interface ShopInventory {
  items: Map<string, StoredItem>;
  locations: Map<string, StoredLocation>;
  /** `available` by `{itemGid}|{locationGid}`. */
  levels: Map<string, number>;
  answers: Map<string, IdempotentAnswer>;
}

export function itemGid(legacyId: string): string {
  return `gid://shopify/InventoryItem/${legacyId}`;
}

export function locationGid(legacyId: string): string {
  return `gid://shopify/Location/${legacyId}`;
}

export function levelOf(itemId: string, locationId: string): string {
  return `${itemId}|${locationId}`;
}

/** Every shop's inventory in the stand-in. */
export class InventoryStandIn {
  private shops = new Map<string, ShopInventory>();
  private nextGroupId = 1;

  shop(shop: string): ShopInventory {
    let state = this.shops.get(shop);
    if (!state) {
      state = { items: new Map(), locations: new Map(), levels: new Map(), answers: new Map() };
      this.shops.set(shop, state);
    }
    return state;
  }

  seed(seed: z.infer<typeof InventorySeedSchema>): void {
    const state = this.shop(seed.shop);
    for (const location of seed.locations) {
      const id = locationGid(location.legacyResourceId);
      state.locations.set(id, {
        id,
        name: location.name,
        code: location.code,
        isActive: location.isActive,
      });
    }
    for (const item of seed.items) {
      const id = itemGid(item.legacyResourceId);
      state.items.set(id, { id, sku: item.sku, tracked: item.tracked });
      for (const [location, available] of Object.entries(item.available)) {
        state.levels.set(levelOf(id, locationGid(location)), available);
      }
    }
  }

  /** Every level of a shop with its SKU and location name, for tests and operators. */
  snapshot(shop: string) {
    const state = this.shop(shop);
    return [...state.levels].map(([key, available]) => {
      const [itemId = "", locationId = ""] = key.split("|");
      return {
        inventoryItemId: itemId,
        sku: state.items.get(itemId)?.sku ?? null,
        locationId,
        location: state.locations.get(locationId)?.name ?? null,
        available,
      };
    });
  }

  newGroupId(): string {
    const id = this.nextGroupId;
    this.nextGroupId += 1;
    return `gid://shopify/InventoryAdjustmentGroup/${id}`;
  }

  reset(): void {
    this.shops.clear();
    this.nextGroupId = 1;
  }
}
