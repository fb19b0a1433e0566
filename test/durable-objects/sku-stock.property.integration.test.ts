import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toStockUpdate } from "../../src/inventory/operations";
import { delta, freshSku, snapshot, stockOf } from "../support/inventory";

/**
 * A plain model of one location's stock: what the object must agree with after every
 * step of a random sequence of OMS updates and order-line operations.
 */
class StockModel {
  onHand = 0;
  safety = 0;
  hasLevel = false;
  snapshotAt: number | null = null;
  applied = new Set<number>();
  deltas = new Map<number, number>();
  lines = new Map<string, { open: boolean; allocated: number; backordered: number }>();

  get reserved() {
    return [...this.lines.values()].filter((l) => l.open).reduce((s, l) => s + l.allocated, 0);
  }

  get available() {
    return this.hasLevel ? Math.max(0, this.onHand - this.reserved - this.safety) : 0;
  }

  get backordered() {
    return [...this.lines.values()].filter((l) => l.open).reduce((s, l) => s + l.backordered, 0);
  }

  update(kind: "snapshot" | "delta", quantity: number, position: number, safety?: number) {
    if (this.applied.has(position)) return "duplicate";
    if (this.snapshotAt !== null && position <= this.snapshotAt) return "ignored_stale";
    if (kind === "snapshot") {
      const later = [...this.deltas].filter(([at]) => at > position).reduce((s, [, d]) => s + d, 0);
      this.onHand = quantity + later;
      this.snapshotAt = position;
    } else {
      this.onHand += quantity;
      this.deltas.set(position, quantity);
    }
    if (safety !== undefined) this.safety = safety;
    this.applied.add(position);
    this.hasLevel = true;
    this.fill();
    return "accepted";
  }

  reserve(line: string, quantity: number) {
    if (this.lines.has(line)) return;
    const taken = Math.min(this.available, quantity);
    this.lines.set(line, { open: true, allocated: taken, backordered: quantity - taken });
  }

  settle(line: string, action: "release" | "commit") {
    const existing = this.lines.get(line);
    if (!existing) {
      this.lines.set(line, { open: false, allocated: 0, backordered: 0 });
      return;
    }
    if (!existing.open) return;
    if (action === "commit") this.onHand -= existing.allocated;
    this.lines.set(line, { open: false, allocated: 0, backordered: 0 });
    if (action === "release") this.fill();
  }

  // Oldest backorder first, as long as anything is available.
  private fill() {
    for (const line of this.lines.values()) {
      if (!line.open || line.backordered === 0) continue;
      const taken = Math.min(this.available, line.backordered);
      if (taken === 0) break;
      line.allocated += taken;
      line.backordered -= taken;
    }
  }
}

const position = fc.integer({ min: 1, max: 12 });
const line = fc.constantFrom("1", "2", "3", "4", "5");
const Step = fc.oneof(
  fc.record({
    op: fc.constant("snapshot" as const),
    quantity: fc.integer({ min: 0, max: 30 }),
    position,
    safety: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant("delta" as const),
    quantity: fc.integer({ min: -10, max: 15 }),
    position,
  }),
  fc.record({
    op: fc.constant("reserve" as const),
    line,
    quantity: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ op: fc.constantFrom("release" as const, "commit" as const), line }),
);
type Step = typeof Step extends fc.Arbitrary<infer T> ? T : never;

afterEach(() => {
  vi.useRealTimers();
});

describe("SkuStock against a model", () => {
  it("agrees with the model after every step of random operation sequences", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let clock = Date.now();

    await fc.assert(
      fc.asyncProperty(fc.array(Step, { minLength: 1, maxLength: 25 }), async (steps: Step[]) => {
        const stock = stockOf(freshSku("PROP"));
        const sku = stock.key.sku;
        const model = new StockModel();

        for (const step of steps) {
          // Each step at its own millisecond, so "oldest first" means the same on both sides.
          clock += 1;
          vi.setSystemTime(clock);
          if (step.op === "snapshot" || step.op === "delta") {
            const lineUpdate =
              step.op === "snapshot"
                ? snapshot(
                    sku,
                    step.quantity,
                    step.position,
                    step.safety === undefined ? {} : { safetyStock: step.safety },
                  )
                : delta(sku, step.quantity, step.position);
            const [outcome] = await stock.stub.applyUpdates(stock.key, [toStockUpdate(lineUpdate)]);
            const expected = model.update(
              step.op,
              step.quantity,
              step.position,
              step.op === "snapshot" ? step.safety : undefined,
            );
            expect(outcome?.status).toBe(expected);
          } else if (step.op === "reserve") {
            await stock.stub.reserve(stock.key, {
              orderId: "1",
              lineId: step.line,
              quantity: step.quantity,
              expiresAt: null,
            });
            model.reserve(step.line, step.quantity);
          } else {
            await stock.stub.settle(stock.key, {
              orderId: "1",
              lineId: step.line,
              action: step.op,
              source: "test",
            });
            model.settle(step.line, step.op);
          }

          const view = await stock.stub.view(stock.key);
          expect(view.totals.available).toBeGreaterThanOrEqual(0);
          expect({
            onHand: view.totals.onHand,
            reserved: view.totals.reserved,
            available: view.totals.available,
            backordered: view.backordered,
          }).toEqual({
            onHand: model.hasLevel ? model.onHand : 0,
            reserved: model.reserved,
            available: model.available,
            backordered: model.backordered,
          });
        }
      }),
      { numRuns: 40 },
    );
  });
});
