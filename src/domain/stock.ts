/**
 * Stock arithmetic, free of the platform: what can be sold at a location and how an order
 * line's quantity is spread over locations. The SkuStock Durable Object applies these
 * rules to its SQLite rows; tests check them against a plain model.
 */

/** One location's counts for a SKU. `onHand` may dip below zero after OMS deltas. */
export interface StockLevel {
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/** Available to sell: on-hand less reserved less safety stock, never below zero. */
export function availableToSell(level: Omit<StockLevel, "locationId">): number {
  return Math.max(0, level.onHand - level.reserved - level.safetyStock);
}

export interface Allocation {
  locationId: string;
  quantity: number;
}

/**
 * Takes `quantity` units from the locations with the most available first (ties by
 * location id, so the split is deterministic). What no location can give is the
 * shortfall: it becomes a backorder, never a negative ATS.
 */
export function allocate(
  levels: readonly StockLevel[],
  quantity: number,
): { allocations: Allocation[]; shortfall: number } {
  const ranked = levels
    .map((level) => ({ locationId: level.locationId, available: availableToSell(level) }))
    .filter((level) => level.available > 0)
    .sort((a, b) => b.available - a.available || a.locationId.localeCompare(b.locationId));

  const allocations: Allocation[] = [];
  let remaining = quantity;
  for (const level of ranked) {
    if (remaining === 0) break;
    const taken = Math.min(level.available, remaining);
    allocations.push({ locationId: level.locationId, quantity: taken });
    remaining -= taken;
  }
  return { allocations, shortfall: remaining };
}

/** Sums per-location counts into the SKU's totals. */
export function totalsOf(levels: readonly StockLevel[]) {
  return levels.reduce(
    (sum, level) => ({
      onHand: sum.onHand + level.onHand,
      reserved: sum.reserved + level.reserved,
      safetyStock: sum.safetyStock + level.safetyStock,
      available: sum.available + availableToSell(level),
    }),
    { onHand: 0, reserved: 0, safetyStock: 0, available: 0 },
  );
}
