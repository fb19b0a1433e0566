import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CircuitBreaker } from "../../src/durable-objects/circuit-breaker";

// The plugin runs the main Worker's Durable Objects in the test isolate (that is what makes
// runInDurableObject possible), so a faked Date is the clock the object reads too. The
// first test checks that assumption so the rest cannot pass by accident.
const T0 = Date.parse("2030-01-01T00:00:00.000Z");

let counter = 0;

/** A breaker of its own for each test: storage is shared by every test in a file. */
function freshBreaker() {
  counter += 1;
  return env.CIRCUIT_BREAKERS.getByName(`test-connector-${counter}`);
}
type Breaker = ReturnType<typeof freshBreaker>;

function advanceTo(ms: number) {
  vi.setSystemTime(T0 + ms);
}

async function recordMany(breaker: Breaker, outcomes: ("ok" | "fail")[]) {
  for (const outcome of outcomes) {
    await breaker.record(
      outcome === "ok" ? { ok: true } : { ok: false, error: "connector_503", durationMs: 12 },
    );
  }
}

/** Opens a breaker with the default thresholds (5 calls, 50 %). */
async function trip(breaker: Breaker) {
  await recordMany(breaker, ["fail", "fail", "fail", "fail", "fail"]);
  expect((await breaker.snapshot()).state).toBe("open");
}

async function probeOf(breaker: Breaker): Promise<string> {
  const decision = await breaker.acquire();
  if (!decision.allowed || !decision.probe) throw new Error(`expected a probe permit`);
  return decision.permitId;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("CircuitBreaker", () => {
  it("reads the clock the test sets and knows its name", async () => {
    const breaker = env.CIRCUIT_BREAKERS.getByName("clock-check");
    const snapshot = await breaker.snapshot();

    expect(snapshot).toMatchObject({ name: "clock-check", state: "closed" });
    expect(snapshot.since).toBe(new Date(T0).toISOString());
  });

  it("applies the thresholds from settings", async () => {
    const { policy } = await freshBreaker().snapshot();

    expect(policy).toEqual({
      windowSeconds: 60,
      minCalls: 5,
      failureRatePercent: 50,
      openSeconds: 30,
      halfOpenProbes: 1,
      probeTimeoutSeconds: 15,
    });
  });

  describe("closed", () => {
    it("stays closed below BREAKER_MIN_CALLS even when every call fails", async () => {
      const breaker = freshBreaker();
      await recordMany(breaker, ["fail", "fail", "fail", "fail"]);

      expect(await breaker.acquire()).toEqual({ allowed: true, probe: false });
      expect((await breaker.snapshot()).window).toMatchObject({ calls: 4, failures: 4 });
    });

    it("opens when the failure rate reaches the threshold exactly", async () => {
      const breaker = freshBreaker();
      await recordMany(breaker, ["ok", "ok", "ok", "fail", "fail"]);
      expect((await breaker.snapshot()).state).toBe("closed");

      await recordMany(breaker, ["fail"]);
      const snapshot = await breaker.snapshot();
      expect(snapshot.state).toBe("open");
      expect(snapshot.window).toMatchObject({ calls: 6, failures: 3, failureRatePercent: 50 });
    });

    it("stays closed below the failure rate", async () => {
      const breaker = freshBreaker();
      await recordMany(breaker, ["ok", "ok", "ok", "ok", "ok", "ok"]);
      await recordMany(breaker, ["fail", "fail", "fail", "fail", "fail"]);

      const snapshot = await breaker.snapshot();
      expect(snapshot.state).toBe("closed");
      expect(snapshot.window).toMatchObject({ calls: 11, failures: 5, failureRatePercent: 45.5 });
    });

    it("forgets outcomes that left the window", async () => {
      const breaker = freshBreaker();
      await recordMany(breaker, ["fail", "fail", "fail", "fail"]);

      advanceTo(61_000);
      await recordMany(breaker, ["fail"]);

      const snapshot = await breaker.snapshot();
      expect(snapshot.state).toBe("closed");
      expect(snapshot.window).toMatchObject({ seconds: 60, calls: 1, failures: 1 });
    });

    it("names the trace of the call that tripped it in the transition", async () => {
      const breaker = freshBreaker();
      await recordMany(breaker, ["fail", "fail", "fail", "fail"]);
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      await breaker.record({ ok: false, error: "connector_503", traceId });

      const [opened] = (await breaker.snapshot()).transitions;
      expect(opened).toMatchObject({ from: "closed", to: "open" });
      expect(opened?.reason).toContain(`trace ${traceId}`);
      // Inside the object, as in "rejects a malformed outcome" below.
      await runInDurableObject(breaker, (instance: CircuitBreaker) => {
        expect(() => instance.record({ ok: false, traceId: "not-a-trace-id" })).toThrow(/Invalid/);
      });
    });

    it("remembers the last failure", async () => {
      const breaker = freshBreaker();
      advanceTo(1_500);
      await breaker.record({ ok: false, error: "connector_timeout", durationMs: 10_001 });

      expect((await breaker.snapshot()).lastFailure).toEqual({
        at: new Date(T0 + 1_500).toISOString(),
        error: "connector_timeout",
        durationMs: 10_001,
      });
    });

    it("rejects a malformed outcome", async () => {
      const breaker = freshBreaker();
      // Inside the object: a rejecting stub call leaks an unhandled rejection in the test
      // runner (cloudflare/workers-sdk#14736).
      await runInDurableObject(breaker, (instance: CircuitBreaker) => {
        // @ts-expect-error deliberately malformed, as an untyped caller could send it
        expect(() => instance.record({ ok: "yes" })).toThrow(/expected boolean/);
      });

      expect((await breaker.snapshot()).window.calls).toBe(0);
    });
  });

  describe("open", () => {
    it.each([
      [0, 30],
      [10_500, 20],
      [29_900, 1],
    ])("after %i ms refuses with retryAfterSeconds %i", async (elapsed, retryAfterSeconds) => {
      const breaker = freshBreaker();
      await trip(breaker);

      advanceTo(elapsed);
      expect(await breaker.acquire()).toEqual({ allowed: false, state: "open", retryAfterSeconds });
    });

    it("reports when it reopens", async () => {
      const breaker = freshBreaker();
      await trip(breaker);

      expect((await breaker.snapshot()).openUntil).toBe(new Date(T0 + 30_000).toISOString());
    });

    it("ignores outcomes of calls let through before it opened", async () => {
      const breaker = freshBreaker();
      await trip(breaker);

      advanceTo(5_000);
      await recordMany(breaker, ["ok", "ok", "ok", "ok", "ok", "ok", "fail"]);

      const snapshot = await breaker.snapshot();
      expect(snapshot.state).toBe("open");
      expect(snapshot.openUntil).toBe(new Date(T0 + 30_000).toISOString());
      expect(snapshot.window.calls).toBe(5);
    });
  });

  describe("half-open", () => {
    it("gives exactly BREAKER_HALF_OPEN_PROBES probes to concurrent callers", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(30_000);

      const decisions = await Promise.all(Array.from({ length: 20 }, () => breaker.acquire()));

      const probes = decisions.filter((decision) => decision.allowed);
      expect(probes).toHaveLength(1);
      expect(probes[0]).toMatchObject({ allowed: true, probe: true, permitId: expect.any(String) });
      for (const refused of decisions.filter((decision) => !decision.allowed)) {
        expect(refused).toEqual({ allowed: false, state: "half_open", retryAfterSeconds: 15 });
      }
      expect(await breaker.snapshot()).toMatchObject({ state: "half_open", probesInFlight: 1 });
    });

    it("closes after a successful probe and starts a fresh window", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(30_000);

      await breaker.record({ permitId: await probeOf(breaker), ok: true, durationMs: 80 });

      const snapshot = await breaker.snapshot();
      expect(snapshot).toMatchObject({ state: "closed", openUntil: null, probesInFlight: 0 });
      expect(snapshot.window).toMatchObject({ calls: 0, failures: 0 });
      expect(await breaker.acquire()).toEqual({ allowed: true, probe: false });
    });

    it("reopens for another open period after a failed probe", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(31_000);

      await breaker.record({ permitId: await probeOf(breaker), ok: false, error: "connector_502" });

      const snapshot = await breaker.snapshot();
      expect(snapshot.state).toBe("open");
      expect(snapshot.openUntil).toBe(new Date(T0 + 61_000).toISOString());
      expect(await breaker.acquire()).toEqual({
        allowed: false,
        state: "open",
        retryAfterSeconds: 30,
      });
    });

    it("frees a probe permit that is never reported", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(30_000);
      const lost = await probeOf(breaker);

      advanceTo(44_000);
      expect(await breaker.acquire()).toEqual({
        allowed: false,
        state: "half_open",
        retryAfterSeconds: 1,
      });

      advanceTo(45_000);
      const next = await probeOf(breaker);
      expect(next).not.toBe(lost);
    });

    it("ignores a late report of an expired probe", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(30_000);
      const lost = await probeOf(breaker);

      advanceTo(46_000);
      await breaker.record({ permitId: lost, ok: true });

      expect(await breaker.snapshot()).toMatchObject({ state: "half_open", probesInFlight: 0 });
    });
  });

  describe("history and reset", () => {
    it("records each transition, newest first, at the time it took effect", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(40_000);
      await breaker.record({ permitId: await probeOf(breaker), ok: false, error: "connector_503" });
      advanceTo(80_000);
      await breaker.record({ permitId: await probeOf(breaker), ok: true });

      const { transitions } = await breaker.snapshot();
      expect(transitions).toEqual([
        { at: iso(80_000), from: "half_open", to: "closed", reason: "probe succeeded" },
        { at: iso(70_000), from: "open", to: "half_open", reason: "open period elapsed" },
        {
          at: iso(40_000),
          from: "half_open",
          to: "open",
          reason: "probe failed; last error: connector_503",
        },
        { at: iso(30_000), from: "open", to: "half_open", reason: "open period elapsed" },
        {
          at: iso(0),
          from: "closed",
          to: "open",
          reason: "5 of 5 calls failed in 60 s (100% ≥ 50%); last error: connector_503",
        },
      ]);
    });

    it("keeps the last 50 transitions", async () => {
      const breaker = freshBreaker();
      for (let index = 0; index < 55; index += 1) await breaker.reset(`operator-${index}`);

      const { transitions } = await breaker.snapshot();
      expect(transitions).toHaveLength(50);
      expect(transitions[0]?.reason).toBe("reset by operator-54");
      expect(transitions[49]?.reason).toBe("reset by operator-5");
    });

    it("forces an open breaker closed with an empty window", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(2_000);

      await breaker.reset("alice");

      const snapshot = await breaker.snapshot();
      expect(snapshot).toMatchObject({ state: "closed", since: iso(2_000), openUntil: null });
      expect(snapshot.window.calls).toBe(0);
      expect(snapshot.transitions[0]).toEqual({
        at: iso(2_000),
        from: "open",
        to: "closed",
        reason: "reset by alice",
      });
      expect(await breaker.acquire()).toEqual({ allowed: true, probe: false });
    });

    it("voids outstanding probe permits on reset", async () => {
      const breaker = freshBreaker();
      await trip(breaker);
      advanceTo(30_000);
      const permitId = await probeOf(breaker);

      await breaker.reset();
      await recordMany(breaker, ["fail", "fail", "fail", "fail"]);
      await breaker.record({ permitId, ok: false });

      expect((await breaker.snapshot()).state).toBe("open");
      expect((await breaker.snapshot()).transitions[1]?.reason).toBe("reset by operator");
    });
  });
});

function iso(elapsed: number): string {
  return new Date(T0 + elapsed).toISOString();
}
