import { describe, expect, it } from "vitest";
import { FaultQueue, FaultRequestSchema, FaultSchema } from "../../../sandbox/connectors/faults";

describe("FaultQueue", () => {
  it("answers each request with the head fault until its times are used up", () => {
    const queue = new FaultQueue();
    queue.add({ mode: "fail", status: 500, times: 2 });
    queue.add({ mode: "pending", times: 1 });

    const modes = [queue.take(), queue.take(), queue.take(), queue.take()].map((f) => f?.mode);

    expect(modes).toEqual(["fail", "fail", "pending", undefined]);
    expect(queue.list()).toEqual([]);
  });

  it("keeps a fault without times at the head until cleared", () => {
    const queue = new FaultQueue();
    queue.add({ mode: "down", retryAfterSeconds: 30 });
    queue.add({ mode: "pending", times: 1 });

    expect([queue.take(), queue.take(), queue.take()].map((f) => f?.mode)).toEqual([
      "down",
      "down",
      "down",
    ]);
    queue.clear();
    expect(queue.take()).toBeUndefined();
  });

  it("answers only the requests its rate draws, without using up times on the others", () => {
    const draws = [0.1, 0.9, 0.29, 0.05];
    const queue = new FaultQueue(() => draws.shift() ?? 1);
    queue.add({ mode: "fail", status: 503, rate: 0.3, times: 2 });
    queue.add({ mode: "pending", times: 1 });

    const modes = [1, 2, 3, 4, 5, 6].map(() => queue.take()?.mode);

    expect(modes).toEqual(["fail", undefined, "fail", "pending", undefined, undefined]);
    // The fault without a rate, and the empty queue, draw nothing.
    expect(draws).toEqual([0.05]);
  });

  it("keeps a rate fault without times at the head, sparing a share of requests", () => {
    const draws = [0.5, 0.7, 0.2];
    const queue = new FaultQueue(() => draws.shift() ?? 0);
    queue.add({ mode: "latency", ms: 10, rate: 0.6 });

    expect([queue.take(), queue.take(), queue.take()].map((f) => f?.mode)).toEqual([
      "latency",
      undefined,
      "latency",
    ]);
    expect(queue.list()).toEqual([
      { fault: { mode: "latency", ms: 10, rate: 0.6 }, remaining: null },
    ]);
  });

  it("reports how many requests each queued fault still answers", () => {
    const queue = new FaultQueue();
    queue.add({ mode: "drop-after-commit", times: 3 });
    queue.take();

    expect(queue.list()).toEqual([
      { fault: { mode: "drop-after-commit", times: 3 }, remaining: 2 },
    ]);
  });
});

describe("FaultSchema", () => {
  it.each([
    [{ mode: "fail" }, { mode: "fail", status: 500 }],
    [{ mode: "reject" }, { mode: "reject", status: 400, reason: "rejected by the sandbox" }],
    [{ mode: "down" }, { mode: "down", retryAfterSeconds: 30 }],
  ])("fills in defaults for %j", (input, expected) => {
    expect(FaultSchema.parse(input)).toEqual(expected);
  });

  it("accepts a rate above 0 up to 1 on every mode", () => {
    expect(FaultSchema.parse({ mode: "fail", status: 503, rate: 0.3 })).toEqual({
      mode: "fail",
      status: 503,
      rate: 0.3,
    });
    expect(FaultSchema.parse({ mode: "drop-after-commit", rate: 1 })).toEqual({
      mode: "drop-after-commit",
      rate: 1,
    });
  });

  it.each([0, -0.1, 1.5, "0.3"])("refuses the rate %j", (rate) => {
    expect(FaultSchema.safeParse({ mode: "fail", rate }).success).toBe(false);
  });

  it("keeps the target beside the fault in a control request", () => {
    expect(FaultRequestSchema.parse({ target: "oms", mode: "latency", ms: 3000 })).toEqual({
      target: "oms",
      mode: "latency",
      ms: 3000,
    });
  });
});
