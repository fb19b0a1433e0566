import { describe, expect, it } from "vitest";
import { formatTraceparent, nextTrace, parseTraceparent } from "../../src/observability/trace";

describe("traceparent", () => {
  it("continues a valid incoming trace with a new span", () => {
    const parent = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    const child = nextTrace(parent);
    expect(child.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(child.spanId).not.toBe("00f067aa0ba902b7");
    expect(formatTraceparent(child)).toMatch(
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/,
    );
  });

  it.each([
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    "garbage",
  ])("ignores invalid header %s", (header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("starts a new sampled trace without a parent", () => {
    expect(formatTraceparent(nextTrace())).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
