import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

let counter = 0;

/** A fresh budget object per test: storage is shared by the whole file. */
function freshBudget() {
  counter += 1;
  return env.SHOP_API_BUDGETS.get(
    env.SHOP_API_BUDGETS.idFromName(`budget-${counter}.myshopify.com`),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ShopApiBudget", () => {
  it("starts on the Standard plan defaults until Shopify reports", async () => {
    const budget = freshBudget();

    expect(await budget.snapshot()).toEqual({
      maximumAvailable: 2000,
      restoreRate: 100,
      available: 2000,
      source: "default",
      reportedAt: null,
    });
  });

  it("takes reserved points and keeps them in SQLite storage", async () => {
    const budget = freshBudget();

    expect(await budget.reserve(150, 0)).toEqual({ granted: true, waitMs: 0 });

    const stored = await runInDurableObject(budget, (_instance, state) =>
      state.storage.sql.exec("SELECT available FROM bucket WHERE id = 1").one(),
    );
    expect(stored.available).toBeLessThanOrEqual(1850.5);
    expect((await budget.snapshot()).available).toBeGreaterThanOrEqual(1850);
  });

  it("serialises concurrent callers: none share points, later ones wait longer", async () => {
    const budget = freshBudget();

    const results = await Promise.all(Array.from({ length: 40 }, () => budget.reserve(100, 3000)));

    const immediate = results.filter((result) => result.granted && result.waitMs === 0);
    const waiting = results
      .filter((result) => result.granted && result.waitMs > 0)
      .map((result) => result.waitMs);
    const refused = results.filter((result) => !result.granted);
    // 2,000 points cover 20 calls now; 3 s of restore at 100/s covers 3 more.
    expect(immediate.length).toBeGreaterThanOrEqual(20);
    expect(immediate.length + waiting.length).toBeLessThanOrEqual(24);
    expect(new Set(waiting).size).toBe(waiting.length);
    expect(Math.max(...waiting)).toBeLessThanOrEqual(3000);
    expect(refused.length).toBeGreaterThanOrEqual(16);
    for (const result of refused) expect(result.waitMs).toBeGreaterThan(3000);
  });

  it("adopts Shopify's reported bucket and restore rate", async () => {
    const budget = freshBudget();

    await budget.reserve(100, 0);
    const settled = await budget.settle(100, {
      actualQueryCost: 12,
      throttleStatus: { maximumAvailable: 20_000, currentlyAvailable: 19_988, restoreRate: 1000 },
    });

    expect(settled).toMatchObject({
      maximumAvailable: 20_000,
      restoreRate: 1000,
      source: "shopify",
    });
    expect(settled.available).toBeGreaterThanOrEqual(19_900);
    expect(settled.reportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("drops to Shopify's figure after THROTTLED, then makes callers back off", async () => {
    const budget = freshBudget();

    await budget.reserve(500, 0);
    await budget.settle(500, {
      actualQueryCost: 0,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 },
    });
    const reservation = await budget.reserve(800, 3000);

    expect(reservation.granted).toBe(false);
    expect(reservation.waitMs).toBeGreaterThan(7000);
    expect(reservation.waitMs).toBeLessThanOrEqual(8000);
  });

  it("restores points as time passes", async () => {
    const budget = freshBudget();
    await budget.settle(1, {
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 1000 },
    });

    await sleep(60);

    expect((await budget.snapshot()).available).toBeGreaterThanOrEqual(50);
    expect(await budget.reserve(50, 0)).toEqual({ granted: true, waitMs: 0 });
  });

  it.each([
    ["a negative cost", -1, 0],
    ["a zero cost", 0, 0],
    ["a negative wait", 10, -5],
    ["a non-finite cost", Number.POSITIVE_INFINITY, 0],
  ])("rejects %s", async (_title, cost, maxWait) => {
    // Settled by hand: matchers probe properties of an RPC promise, and each probe becomes
    // a pipelined call that rejects unobserved.
    const outcome = await freshBudget()
      .reserve(cost, maxWait)
      .then(
        () => "granted",
        (error: unknown) => error,
      );

    expect(outcome).toBeInstanceOf(TypeError);
  });
});
