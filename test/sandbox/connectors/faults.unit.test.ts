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

  it("keeps the target beside the fault in a control request", () => {
    expect(FaultRequestSchema.parse({ target: "oms", mode: "latency", ms: 3000 })).toEqual({
      target: "oms",
      mode: "latency",
      ms: 3000,
    });
  });
});
