import { describe, expect, it } from "vitest";
import { allocate, availableToSell, totalsOf } from "../../src/domain/stock";

const level = (locationId: string, onHand: number, reserved = 0, safetyStock = 0) => ({
  locationId,
  onHand,
  reserved,
  safetyStock,
});

describe("availableToSell", () => {
  it.each([
    [10, 3, 2, 5],
    [5, 3, 2, 0],
    [5, 6, 0, 0],
    [-4, 0, 0, 0],
  ])("on-hand %i, reserved %i, safety %i → %i", (onHand, reserved, safetyStock, expected) => {
    expect(availableToSell({ onHand, reserved, safetyStock })).toBe(expected);
  });
});

describe("allocate", () => {
  it("takes from the location with most available first and reports the shortfall", () => {
    expect(allocate([level("A", 3), level("B", 5, 1), level("C", 0)], 9)).toEqual({
      allocations: [
        { locationId: "B", quantity: 4 },
        { locationId: "A", quantity: 3 },
      ],
      shortfall: 2,
    });
  });

  it("breaks ties by location id so the split is deterministic", () => {
    expect(allocate([level("B", 2), level("A", 2)], 1).allocations).toEqual([
      { locationId: "A", quantity: 1 },
    ]);
  });
});

describe("totalsOf", () => {
  it("sums counts and clamps each location's ATS before summing", () => {
    expect(totalsOf([level("A", 2, 5), level("B", 4, 1, 1)])).toEqual({
      onHand: 6,
      reserved: 6,
      safetyStock: 1,
      available: 2,
    });
  });
});
