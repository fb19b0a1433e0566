import { z } from "zod";
import { type InventoryStandIn, levelOf, type ShopInventory } from "./inventory";
import type { OperationHandler, Prepared } from "./operations";
import { paginate } from "./search";

// The reasons Shopify accepts for a quantity change (a subset; the hub sends `correction`).
const REASONS = new Set(["correction", "cycle_count_available", "received", "restock", "other"]);
const MAX_INPUT = 250;

const SetVariables = z.object({
  idempotencyKey: z.string().trim().min(1, "@idempotent requires a non-blank key"),
  input: z.object({
    name: z.string(),
    reason: z.string(),
    referenceDocumentUri: z.string().nullish(),
    quantities: z.array(
      z.object({
        inventoryItemId: z.string(),
        locationId: z.string(),
        quantity: z.number().int(),
        // Mandatory: an explicit null opts out of the compare-and-set.
        changeFromQuantity: z.number().int().nullable(),
      }),
    ),
  }),
});

const PageVariables = z.object({
  first: z.number().int().min(1).max(250),
  after: z.string().nullish(),
  query: z.string().default(""),
});

function operation<V>(
  variables: z.ZodType<V>,
  requestedCost: (variables: V) => number,
  execute: (
    shop: ShopInventory,
    variables: V,
  ) => { data: Record<string, unknown>; actualCost: number },
  inventory: InventoryStandIn,
): OperationHandler {
  return {
    prepare(_state, shop, raw): Prepared {
      const parsed = variables.safeParse(raw ?? {});
      if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
      return {
        ok: true,
        requestedCost: requestedCost(parsed.data),
        execute: () => execute(inventory.shop(shop), parsed.data),
      };
    },
  };
}

/** The inventory operations the stand-in answers, over `inventory`. */
export function inventoryOperations(inventory: InventoryStandIn): Record<string, OperationHandler> {
  return {
    InventorySetAvailable: operation(
      SetVariables,
      () => 10,
      (shop, variables) => ({ data: setQuantities(inventory, shop, variables), actualCost: 10 }),
      inventory,
    ),
    InventoryAvailable: operation(
      z.object({ ids: z.array(z.string()).max(250), locations: z.number().int().min(1).max(250) }),
      (variables) => 1 + variables.ids.length * (3 + variables.locations * 3),
      (shop, variables) => ({
        data: { nodes: variables.ids.map((id) => itemLevels(shop, id, variables.locations)) },
        actualCost: 1 + variables.ids.length * 4,
      }),
      inventory,
    ),
    InventoryLevelsAtLocation: operation(
      z.object({ ids: z.array(z.string()).max(250), locationId: z.string() }),
      (variables) => 1 + variables.ids.length * 3,
      (shop, variables) => ({
        data: { nodes: variables.ids.map((id) => levelAt(shop, id, variables.locationId)) },
        actualCost: 1 + variables.ids.length * 3,
      }),
      inventory,
    ),
    InventoryItemsBySku: operation(
      PageVariables,
      (variables) => 2 + variables.first,
      (shop, variables) => {
        const wanted = skusIn(variables.query);
        const items = [...shop.items.values()].filter(
          (item) => item.sku !== null && wanted.has(item.sku),
        );
        const page = paginate(items, variables.first, variables.after);
        return { data: { inventoryItems: page }, actualCost: 2 + page.nodes.length };
      },
      inventory,
    ),
    InventoryLocations: operation(
      PageVariables,
      (variables) => 2 + variables.first * 2,
      (shop, variables) => {
        const active = [...shop.locations.values()].filter((location) => location.isActive);
        const page = paginate(active, variables.first, variables.after);
        return {
          data: {
            locations: {
              nodes: page.nodes.map((location) => ({
                id: location.id,
                name: location.name,
                isActive: location.isActive,
                locationCode: location.code ? { value: location.code } : null,
              })),
              pageInfo: page.pageInfo,
            },
          },
          actualCost: 2 + page.nodes.length * 2,
        };
      },
      inventory,
    ),
  };
}

function setQuantities(
  inventory: InventoryStandIn,
  shop: ShopInventory,
  variables: z.infer<typeof SetVariables>,
): Record<string, unknown> {
  const fingerprint = JSON.stringify(variables.input);
  const previous = shop.answers.get(variables.idempotencyKey);
  if (previous && previous.fingerprint !== fingerprint) {
    return payload(null, [
      userError(
        [],
        "The same idempotency key cannot be used with different parameters.",
        "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
      ),
    ]);
  }
  if (previous?.failed) {
    return payload(null, [
      userError(
        [],
        "A previous request with this idempotency key failed.",
        "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED",
      ),
    ]);
  }
  if (previous) return previous.data;

  const errors = validate(shop, variables.input);
  // All or nothing: one bad quantity and no level changes.
  if (errors.length === 0) {
    for (const quantity of variables.input.quantities) {
      shop.levels.set(levelOf(quantity.inventoryItemId, quantity.locationId), quantity.quantity);
    }
  }
  const data =
    errors.length === 0 ? payload({ id: inventory.newGroupId() }, []) : payload(null, errors);
  shop.answers.set(variables.idempotencyKey, { fingerprint, failed: errors.length > 0, data });
  return data;
}

function validate(shop: ShopInventory, input: z.infer<typeof SetVariables>["input"]) {
  if (input.name !== "available" && input.name !== "on_hand") {
    return [
      userError(
        ["input", "name"],
        "The quantity name must be either 'available' or 'on_hand'.",
        "INVALID_NAME",
      ),
    ];
  }
  if (!REASONS.has(input.reason)) {
    return [userError(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")];
  }
  if (input.quantities.length > MAX_INPUT) {
    return [userError(["input", "quantities"], `At most ${MAX_INPUT} quantities.`, "INVALID")];
  }
  return input.quantities.flatMap((quantity, index) => {
    const field = (name: string) => ["input", "quantities", String(index), name];
    if (!shop.items.has(quantity.inventoryItemId)) {
      return [
        userError(
          field("inventoryItemId"),
          "The specified inventory item could not be found.",
          "INVALID_INVENTORY_ITEM",
        ),
      ];
    }
    if (!shop.locations.has(quantity.locationId)) {
      return [
        userError(
          field("locationId"),
          "The specified location could not be found.",
          "INVALID_LOCATION",
        ),
      ];
    }
    if (quantity.quantity < 0) {
      return [
        userError(
          field("quantity"),
          "The quantity can't be negative.",
          "INVALID_QUANTITY_NEGATIVE",
        ),
      ];
    }
    const current = shop.levels.get(levelOf(quantity.inventoryItemId, quantity.locationId)) ?? 0;
    if (quantity.changeFromQuantity !== null && quantity.changeFromQuantity !== current) {
      return [
        userError(
          field("changeFromQuantity"),
          "The changeFromQuantity value does not match persisted value.",
          "CHANGE_FROM_QUANTITY_STALE",
        ),
      ];
    }
    return [];
  });
}

function itemLevels(shop: ShopInventory, id: string, first: number) {
  const item = shop.items.get(id);
  if (!item) return null;
  const nodes = [...shop.levels]
    .filter(([key]) => key.startsWith(`${id}|`))
    .slice(0, first)
    .map(([key, available]) => ({
      location: { id: key.slice(id.length + 1) },
      quantities: [{ name: "available", quantity: available }],
    }));
  return { id, inventoryLevels: { nodes } };
}

function levelAt(shop: ShopInventory, id: string, locationId: string) {
  if (!shop.items.has(id)) return null;
  const available = shop.levels.get(levelOf(id, locationId));
  const inventoryLevel =
    available === undefined ? null : { quantities: [{ name: "available", quantity: available }] };
  return { id, inventoryLevel };
}

/** The SKUs of a `sku:'A' OR sku:'B'` search string, unescaped. */
function skusIn(query: string): Set<string> {
  const skus = new Set<string>();
  for (const match of query.matchAll(/sku:'((?:\\.|[^'\\])*)'/g)) {
    skus.add((match[1] ?? "").replace(/\\(.)/g, "$1"));
  }
  return skus;
}

function payload(group: { id: string } | null, userErrors: ReturnType<typeof userError>[]) {
  return { inventorySetQuantities: { inventoryAdjustmentGroup: group, userErrors } };
}

function userError(field: string[], message: string, code: string) {
  return { field, message, code };
}
