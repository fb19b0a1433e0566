import { describe, expect, it } from "vitest";
import { classifyDrift, type PairReading } from "../../../src/inventory/drift/classify";

function reading(overrides: Partial<PairReading>): PairReading {
  return {
    sku: "A-1",
    locationId: "WH1",
    hub: 10,
    lastConfirmed: 10,
    omsSnapshot: 12,
    shopify: 10,
    ...overrides,
  };
}

describe("classifyDrift", () => {
  it("finds nothing when Shopify shows the hub's ATS", () => {
    expect(classifyDrift(reading({}), 5)).toBeNull();
  });

  it("finds nothing for an unstocked location where the hub has nothing to sell", () => {
    expect(classifyDrift(reading({ hub: 0, shopify: null }), 5)).toBeNull();
  });

  it.each([
    ["corrects a drift of exactly the tolerance", { shopify: 15 }, 5, "corrected", 5],
    ["corrects a drift below zero within the tolerance", { shopify: 7 }, 5, "corrected", -3],
    ["alerts one unit above the tolerance", { shopify: 16 }, 5, "alerted", 6],
    ["alerts on any drift with tolerance 0", { shopify: 11 }, 0, "alerted", 1],
    ["alerts when the location does not stock the item", { shopify: null }, 50, "alerted", -10],
    [
      "owes a push when Shopify still shows the hub's last push",
      { hub: 40, lastConfirmed: 10, shopify: 10 },
      5,
      "push_owed",
      -30,
    ],
    [
      "judges by tolerance before the first push",
      { hub: 10, lastConfirmed: null, shopify: 30 },
      5,
      "alerted",
      20,
    ],
  ] as const)("%s", (_title, overrides, tolerance, action, drift) => {
    expect(classifyDrift(reading(overrides), tolerance)).toMatchObject({ action, drift });
  });
});
