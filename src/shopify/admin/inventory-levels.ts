import { z } from "zod";
import { INVENTORY_LEVELS_AT_LOCATION } from "./inventory-documents";
import { type AdminContext, runAdminOperation } from "./run-operation";

/** Items per read: `nodes(ids:)` takes at most 250 ids. */
export const ITEMS_PER_LEVEL_READ = 250;

// Shopify's cost rules: a point per object asked for (the item, its level and the
// quantities list) plus one, so a full read (751) stays under the 1,000-point cap.
const COST_PER_ITEM = 3;

const LevelsDataSchema = z.object({
  nodes: z.array(
    z
      .object({
        id: z.string(),
        inventoryLevel: z
          .object({
            quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
          })
          .nullable(),
      })
      .nullable(),
  ),
});

/**
 * What Shopify shows as `available` at one location for up to
 * {@link ITEMS_PER_LEVEL_READ} inventory items, by InventoryItem GID. Items the location
 * does not stock, and ids Shopify no longer knows, are absent from the answer.
 * @throws {RangeError} for more than {@link ITEMS_PER_LEVEL_READ} ids.
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 * @throws {PermanentError} for auth failures and answers that do not parse.
 */
export async function readAvailableAtLocation(
  ctx: AdminContext,
  shop: string,
  locationId: string,
  inventoryItemIds: string[],
): Promise<Map<string, number>> {
  if (inventoryItemIds.length > ITEMS_PER_LEVEL_READ) {
    throw new RangeError(`at most ${ITEMS_PER_LEVEL_READ} items per read`);
  }
  const data = await runAdminOperation(ctx, shop, {
    name: "InventoryLevelsAtLocation",
    document: INVENTORY_LEVELS_AT_LOCATION,
    variables: { ids: inventoryItemIds, locationId },
    estimatedCost: 1 + inventoryItemIds.length * COST_PER_ITEM,
    dataSchema: LevelsDataSchema,
  });

  const available = new Map<string, number>();
  for (const item of data.nodes) {
    const quantity = item?.inventoryLevel?.quantities.find((q) => q.name === "available");
    if (item && quantity) available.set(item.id, quantity.quantity);
  }
  return available;
}
