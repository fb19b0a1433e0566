import { z } from "zod";
import { RetryableError } from "../../queues/errors";
import { userErrorsFailure } from "./failures";
import { PageInfoSchema, UserErrorSchema } from "./graphql-response";
import {
  INVENTORY_AVAILABLE,
  INVENTORY_ITEMS_BY_SKU,
  INVENTORY_LOCATIONS,
  INVENTORY_SET_AVAILABLE,
} from "./inventory-documents";
import { type AdminContext, runAdminOperation } from "./run-operation";

/** Shopify's cap on a mutation's input array. */
export const MAX_QUANTITIES_PER_MUTATION = 250;
/** SKUs per lookup: keeps the search string short and a page (100) enough for them. */
export const SKUS_PER_LOOKUP = 50;
/** Items per availability read: with 20 levels each the query stays under 1,000 points. */
export const ITEMS_PER_AVAILABILITY_READ = 10;
const LEVELS_PER_ITEM = 20;
const ITEMS_PAGE_SIZE = 100;
const LOCATIONS_PAGE_SIZE = 50;

// Shopify's documented costs: a mutation 10; a connection 2 plus one per node and per
// nested object.
const SET_COST = 10;
const ITEMS_COST = 2 + ITEMS_PAGE_SIZE;
const LOCATIONS_COST = 2 + LOCATIONS_PAGE_SIZE * 2;
const AVAILABLE_COST = 1 + ITEMS_PER_AVAILABILITY_READ * (3 + LEVELS_PER_ITEM * 3);

/** One quantity to set: Shopify GIDs, the new value and the value expected now. */
export interface AvailableQuantity {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity: number | null;
}

const SetDataSchema = z.object({
  inventorySetQuantities: z
    .object({
      inventoryAdjustmentGroup: z.object({ id: z.string() }).nullable(),
      userErrors: z.array(UserErrorSchema),
    })
    .nullable(),
});

/** `stale` lists the quantities whose `changeFromQuantity` Shopify found out of date. */
export type SetAvailableResult = { ok: true } | { ok: false; stale: number[] };

/**
 * Sets `available` for up to 250 quantities in one `inventorySetQuantities`, reason
 * `correction`, with `idempotencyKey` (the same key repeats the same answer). Shopify
 * applies all or none; a stale compare-and-set comes back as `{ ok: false, stale }`.
 * @throws {PermanentError} `shopify_user_errors` for every other rejection.
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 */
export async function setAvailableQuantities(
  ctx: AdminContext,
  shop: string,
  quantities: AvailableQuantity[],
  idempotencyKey: string,
): Promise<SetAvailableResult> {
  if (quantities.length > MAX_QUANTITIES_PER_MUTATION) {
    throw new RangeError(`at most ${MAX_QUANTITIES_PER_MUTATION} quantities per mutation`);
  }
  const data = await runAdminOperation(ctx, shop, {
    name: "InventorySetAvailable",
    document: INVENTORY_SET_AVAILABLE,
    variables: {
      idempotencyKey,
      input: { name: "available", reason: "correction", quantities },
    },
    estimatedCost: SET_COST,
    dataSchema: SetDataSchema,
  });

  const errors = data.inventorySetQuantities?.userErrors ?? [];
  const everything = quantities.map((_quantity, index) => index);
  if (errors.some((error) => error.code === "IDEMPOTENCY_CONCURRENT_REQUEST")) {
    throw new RetryableError(
      "shopify_idempotency_concurrent",
      "InventorySetAvailable: the same request is still running",
      { retryAfterSeconds: 1 },
    );
  }
  // The key's earlier attempt failed: read everything again and send under a new key.
  if (errors.some((error) => error.code === "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED")) {
    return { ok: false, stale: everything };
  }
  const stale = errors.filter((error) => error.code === "CHANGE_FROM_QUANTITY_STALE");
  if (stale.length > 0 && stale.length === errors.length) {
    // field is ["input", "quantities", "<index>", "changeFromQuantity"].
    const indexes = stale.map((error) => Number(error.field?.[2])).filter(Number.isInteger);
    return { ok: false, stale: indexes.length > 0 ? indexes : everything };
  }
  const rejected = userErrorsFailure("InventorySetAvailable", { inventorySetQuantities: errors });
  if (rejected) throw rejected;
  return { ok: true };
}

const AvailableDataSchema = z.object({
  nodes: z.array(
    z
      .object({
        id: z.string(),
        inventoryLevels: z.object({
          nodes: z.array(
            z.object({
              location: z.object({ id: z.string() }),
              quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
            }),
          ),
        }),
      })
      .nullable(),
  ),
});

/** Key of an item at a location in {@link readAvailable}'s answer. */
export function levelKey(inventoryItemId: string, locationId: string): string {
  return `${inventoryItemId}|${locationId}`;
}

/**
 * What Shopify shows as `available` now, by {@link levelKey}, for at most
 * {@link ITEMS_PER_AVAILABILITY_READ} items; pairs Shopify does not stock are absent.
 */
export async function readAvailable(
  ctx: AdminContext,
  shop: string,
  inventoryItemIds: string[],
): Promise<Map<string, number>> {
  const data = await runAdminOperation(ctx, shop, {
    name: "InventoryAvailable",
    document: INVENTORY_AVAILABLE,
    variables: { ids: inventoryItemIds, locations: LEVELS_PER_ITEM },
    estimatedCost: AVAILABLE_COST,
    dataSchema: AvailableDataSchema,
  });

  const available = new Map<string, number>();
  for (const item of data.nodes) {
    for (const level of item?.inventoryLevels.nodes ?? []) {
      const quantity = level.quantities.find((entry) => entry.name === "available")?.quantity;
      if (item && quantity !== undefined) {
        available.set(levelKey(item.id, level.location.id), quantity);
      }
    }
  }
  return available;
}

const ItemsDataSchema = z.object({
  inventoryItems: z.object({
    nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), tracked: z.boolean() })),
    pageInfo: PageInfoSchema,
  }),
});

/** A SKU's inventory items in Shopify: one is a mapping, more is ambiguous. */
export type SkuLookup = Map<string, string[]>;

/**
 * Finds the inventory items of up to {@link SKUS_PER_LOOKUP} SKUs. SKUs Shopify does not
 * know are absent from the answer; a SKU shared by several items lists them all.
 */
export async function lookupInventoryItems(
  ctx: AdminContext,
  shop: string,
  skus: string[],
): Promise<SkuLookup> {
  const wanted = new Set(skus);
  const found: SkuLookup = new Map();
  const query = skus.map((sku) => `sku:'${sku.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`);
  let after: string | null = null;

  do {
    const data: z.infer<typeof ItemsDataSchema> = await runAdminOperation(ctx, shop, {
      name: "InventoryItemsBySku",
      document: INVENTORY_ITEMS_BY_SKU,
      variables: { first: ITEMS_PAGE_SIZE, after, query: query.join(" OR ") },
      estimatedCost: ITEMS_COST,
      dataSchema: ItemsDataSchema,
    });
    for (const item of data.inventoryItems.nodes) {
      // Search matches loosely; only an exact SKU is a mapping.
      if (item.sku === null || !wanted.has(item.sku)) continue;
      found.set(item.sku, [...(found.get(item.sku) ?? []), item.id]);
    }
    after = data.inventoryItems.pageInfo.hasNextPage
      ? data.inventoryItems.pageInfo.endCursor
      : null;
  } while (after !== null);

  return found;
}

const LocationsDataSchema = z.object({
  locations: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        isActive: z.boolean(),
        locationCode: z.object({ value: z.string() }).nullable(),
      }),
    ),
    pageInfo: PageInfoSchema,
  }),
});

/** A Shopify location and the OMS code it answers to. */
export interface ShopifyLocation {
  id: string;
  code: string;
}

/**
 * Every active location of the shop with its OMS code: the app-owned metafield
 * `$app:edge_hub.location_code` when set, else the location's name.
 */
export async function listLocations(ctx: AdminContext, shop: string): Promise<ShopifyLocation[]> {
  const locations: ShopifyLocation[] = [];
  let after: string | null = null;

  do {
    const data: z.infer<typeof LocationsDataSchema> = await runAdminOperation(ctx, shop, {
      name: "InventoryLocations",
      document: INVENTORY_LOCATIONS,
      variables: { first: LOCATIONS_PAGE_SIZE, after },
      estimatedCost: LOCATIONS_COST,
      dataSchema: LocationsDataSchema,
    });
    for (const location of data.locations.nodes) {
      if (!location.isActive) continue;
      locations.push({ id: location.id, code: location.locationCode?.value ?? location.name });
    }
    after = data.locations.pageInfo.hasNextPage ? data.locations.pageInfo.endCursor : null;
  } while (after !== null);

  return locations;
}
