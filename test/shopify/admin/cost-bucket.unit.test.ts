import { describe, expect, it } from "vitest";
import {
  type CostBucket,
  freshBucket,
  reserve,
  restore,
  STANDARD_PLAN_LIMIT,
  settle,
} from "../../../src/shopify/admin/cost-bucket";

const T0 = 1_000_000;

function bucket(overrides: Partial<CostBucket> = {}): CostBucket {
  return { ...freshBucket(T0), ...overrides };
}

describe("freshBucket", () => {
  it("starts full on Shopify's Standard plan figures", () => {
    expect(freshBucket(T0)).toEqual({
      maximumAvailable: STANDARD_PLAN_LIMIT.maximumAvailable,
      restoreRate: STANDARD_PLAN_LIMIT.restoreRate,
      available: 2000,
      updatedAtMs: T0,
      reportedAtMs: null,
    });
  });
});

describe("restore", () => {
  it.each([
    ["refills at the restore rate", 100, 1500, 250],
    ["stops at the bucket size", 1990, 1000, 2000],
    ["pays back borrowed points before any are free", -300, 2000, -100],
  ])("%s", (_title, available, elapsedMs, expected) => {
    expect(restore(bucket({ available }), T0 + elapsedMs).available).toBe(expected);
  });

  it("ignores a clock that runs backwards", () => {
    expect(restore(bucket({ available: 50 }), T0 - 5000)).toMatchObject({
      available: 50,
      updatedAtMs: T0,
    });
  });
});

describe("reserve", () => {
  it("grants at once while the points are there", () => {
    const { bucket: after, reservation } = reserve(bucket(), 150, 0, T0);

    expect(reservation).toEqual({ granted: true, waitMs: 0 });
    expect(after.available).toBe(1850);
  });

  it("grants with a wait when the points restore within the allowed wait", () => {
    const { bucket: after, reservation } = reserve(bucket({ available: 50 }), 250, 3000, T0);

    expect(reservation).toEqual({ granted: true, waitMs: 2000 });
    expect(after.available).toBe(-200);
  });

  it("queues a second caller behind the first one's borrowed points", () => {
    const first = reserve(bucket({ available: 0 }), 100, 5000, T0);
    const second = reserve(first.bucket, 100, 5000, T0);

    expect(first.reservation.waitMs).toBe(1000);
    expect(second.reservation.waitMs).toBe(2000);
  });

  it("refuses without taking points when the wait would be longer", () => {
    const before = bucket({ available: 0 });
    const { bucket: after, reservation } = reserve(before, 500, 3000, T0);

    expect(reservation).toEqual({ granted: false, waitMs: 5000 });
    expect(after.available).toBe(0);
  });

  it("asks a request larger than the bucket for a full bucket, not forever", () => {
    const { reservation } = reserve(bucket({ available: 0 }), 5000, 60_000, T0);

    expect(reservation).toEqual({ granted: true, waitMs: 20_000 });
  });
});

describe("settle", () => {
  it("refunds the difference between the estimate and the actual cost", () => {
    const after = settle(bucket({ available: 1000 }), 102, { actualQueryCost: 12 }, T0);

    expect(after.available).toBe(1090);
    expect(after.reportedAtMs).toBeNull();
  });

  it("keeps the reservation spent when the outcome is unknown", () => {
    expect(settle(bucket({ available: 1000 }), 102, {}, T0).available).toBe(1000);
  });

  it("adopts Shopify's bucket size and restore rate once reported", () => {
    const after = settle(
      bucket({ available: 1900 }),
      100,
      {
        actualQueryCost: 100,
        throttleStatus: { maximumAvailable: 20_000, currentlyAvailable: 19_900, restoreRate: 1000 },
      },
      T0,
    );

    expect(after).toEqual({
      maximumAvailable: 20_000,
      restoreRate: 1000,
      available: 19_900,
      updatedAtMs: T0,
      reportedAtMs: T0,
    });
  });

  it("drops to what Shopify says is left after a THROTTLED answer", () => {
    const after = settle(
      bucket({ available: 1800 }),
      200,
      {
        actualQueryCost: 0,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 40, restoreRate: 100 },
      },
      T0,
    );

    expect(after.available).toBe(40);
  });

  it("keeps its own lower figure while other reservations are in flight", () => {
    const after = settle(
      bucket({ available: 300 }),
      100,
      {
        actualQueryCost: 100,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 100 },
      },
      T0,
    );

    expect(after.available).toBe(300);
  });
});
