import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { loadSettings, type Settings } from "../config/settings";
import { recordBreakerTransition } from "../metrics/instrumentation";
import { flushMetrics } from "../metrics/record";

/** How many state changes a breaker keeps for the admin API. */
const HISTORY_LENGTH = 50;
/** Longest error text kept per failure; callers send a code or a short message, not a body. */
const MAX_ERROR_LENGTH = 300;
// A probe's caller gives up after CONNECTOR_TIMEOUT_MS; the margin covers the time spent
// reaching the connector and reporting back here, so only a caller that vanished loses its
// permit.
const PROBE_EXPIRY_MARGIN_MS = 5_000;

export const BreakerStateSchema = z.enum(["closed", "open", "half_open"]);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

/**
 * What `acquire()` answers. A probe permit must be handed back to `record()`; a refusal
 * says how long to wait (whole seconds, at least 1).
 */
export type BreakerDecision =
  | { allowed: true; probe: false }
  | { allowed: true; probe: true; permitId: string }
  | { allowed: false; state: "open" | "half_open"; retryAfterSeconds: number };

/** The outcome of one connector call, as the caller reports it to `record()`. */
export const BreakerOutcomeSchema = z.object({
  /** The probe permit from `acquire()`, when one was given. */
  permitId: z.string().min(1).max(100).optional(),
  /** False only when the connector looked unhealthy (5xx, 408, 429, timeout, network). */
  ok: z.boolean(),
  durationMs: z.number().nonnegative().optional(),
  /** A short code or message describing the failure; never a request or response body. */
  error: z.string().optional(),
  /** The W3C trace id of the call, named in the transition it causes. */
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});
export type BreakerOutcome = z.input<typeof BreakerOutcomeSchema>;

const ActorSchema = z.string().min(1).max(100);

/** The thresholds a breaker applies, derived from the hub's settings. */
export interface BreakerPolicy {
  windowSeconds: number;
  minCalls: number;
  failureRatePercent: number;
  openSeconds: number;
  halfOpenProbes: number;
  probeTimeoutSeconds: number;
}

export interface BreakerTransition {
  at: string;
  from: BreakerState;
  to: BreakerState;
  reason: string;
}

/** A breaker's state for operators. Times are ISO-8601; transitions are newest first. */
export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  since: string;
  openUntil: string | null;
  window: { seconds: number; calls: number; failures: number; failureRatePercent: number };
  probesInFlight: number;
  lastFailure: { at: string; error: string | null; durationMs: number | null } | null;
  policy: BreakerPolicy;
  transitions: BreakerTransition[];
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS breaker (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    since INTEGER NOT NULL,
    open_until INTEGER,
    last_failure_at INTEGER,
    last_error TEXT,
    last_duration_ms INTEGER
  );
  CREATE TABLE IF NOT EXISTS outcomes (
    second INTEGER PRIMARY KEY,
    calls INTEGER NOT NULL,
    failures INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS probes (permit_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL
  );
`;

const BreakerRowSchema = z.object({
  name: z.string(),
  state: BreakerStateSchema,
  since: z.number(),
  open_until: z.number().nullable(),
  last_failure_at: z.number().nullable(),
  last_error: z.string().nullable(),
  last_duration_ms: z.number().nullable(),
});
type BreakerRow = z.infer<typeof BreakerRowSchema>;

const WindowRowSchema = z.object({ calls: z.number(), failures: z.number() });
const ProbeRowSchema = z.object({ in_flight: z.number(), earliest: z.number().nullable() });
const TransitionRowSchema = z.object({
  at: z.number(),
  from_state: BreakerStateSchema,
  to_state: BreakerStateSchema,
  reason: z.string(),
});

/**
 * One circuit breaker per connector, addressed by the connector's name
 * (`CIRCUIT_BREAKERS.getByName("erp")`), so every queue consumer shares it. State lives in
 * the object's SQLite storage and survives eviction. Every method body is synchronous: no
 * await sits between a read and its write, so concurrent callers cannot interleave, and
 * time moves only lazily (open → half-open happens when someone next asks).
 *
 * Thresholds come from the hub's settings via `loadSettings(this.env)`: the object shares
 * the Worker's env, so callers cannot disagree about them. See docs/circuit-breakers.md.
 */
export class CircuitBreaker extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    // The runtime knows the name only through the id; keep it so the snapshot can say it.
    this.sql.exec(
      "INSERT OR IGNORE INTO breaker (id, name, state, since) VALUES (1, ?, 'closed', ?)",
      ctx.id.name ?? ctx.id.toString(),
      Date.now(),
    );
  }

  /** Asks to call the connector. Closed: allowed. Half-open: a probe permit while any is free. */
  acquire(): BreakerDecision {
    const policy = this.policy();
    return this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      const row = this.advance(now);
      switch (row.state) {
        case "closed":
          return { allowed: true, probe: false };
        case "open":
          return {
            allowed: false,
            state: "open",
            retryAfterSeconds: secondsUntil(row.open_until ?? now, now),
          };
        case "half_open":
          return this.grantProbe(now, policy);
      }
    });
  }

  /**
   * Reports a call's outcome. Closed: counted in the rolling window, and the breaker opens
   * once the window holds at least BREAKER_MIN_CALLS calls failing at
   * BREAKER_FAILURE_RATE_PERCENT or more. Half-open: a probe's success closes the breaker
   * and a failure reopens it. Outcomes of calls let through before the breaker opened, and
   * of probes whose permit expired, do not change an open or half-open breaker.
   * @throws {z.ZodError} when `outcome` is malformed (a bug in the caller).
   */
  record(outcome: BreakerOutcome): void {
    const parsed = BreakerOutcomeSchema.parse(outcome);
    const error = parsed.error?.slice(0, MAX_ERROR_LENGTH) ?? null;
    const policy = this.policy();

    this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      if (!parsed.ok) {
        this.sql.exec(
          "UPDATE breaker SET last_failure_at = ?, last_error = ?, last_duration_ms = ? WHERE id = 1",
          now,
          error,
          parsed.durationMs === undefined ? null : Math.round(parsed.durationMs),
        );
      }

      const row = this.advance(now);
      const probe = parsed.permitId !== undefined && this.takePermit(parsed.permitId);
      const trace = parsed.traceId;
      if (row.state === "half_open" && probe) {
        if (parsed.ok)
          this.transition(row.state, "closed", now, withTrace("probe succeeded", trace));
        else
          this.reopen(row.state, now, policy, withTrace(withError("probe failed", error), trace));
        return;
      }
      if (row.state !== "closed") return;

      this.count(now, parsed.ok, policy);
      if (!parsed.ok) this.tripIfUnhealthy(now, policy, error, trace);
    });
  }

  /** The breaker's current state, window counts, probes in flight and recent transitions. */
  snapshot(): BreakerSnapshot {
    const policy = this.policy();
    return this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      const row = this.advance(now);
      const window = this.window(now, policy);
      const probes = this.probes();
      const transitions = this.sql
        .exec("SELECT at, from_state, to_state, reason FROM transitions ORDER BY id DESC")
        .toArray()
        .map((raw) => TransitionRowSchema.parse(raw))
        .map((t) => ({ at: iso(t.at), from: t.from_state, to: t.to_state, reason: t.reason }));

      return {
        name: row.name,
        state: row.state,
        since: iso(row.since),
        openUntil: row.state === "open" && row.open_until !== null ? iso(row.open_until) : null,
        window: { seconds: policy.windowSeconds, ...window, failureRatePercent: rate(window) },
        probesInFlight: row.state === "half_open" ? probes.in_flight : 0,
        lastFailure:
          row.last_failure_at === null
            ? null
            : {
                at: iso(row.last_failure_at),
                error: row.last_error,
                durationMs: row.last_duration_ms,
              },
        policy,
        transitions,
      };
    });
  }

  /**
   * Forces the breaker closed with an empty window, whatever its state; outstanding probe
   * permits become void. `actor` (an admin token's name) is written into the history.
   */
  reset(actor = "operator"): void {
    const by = ActorSchema.parse(actor);
    this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      const row = this.advance(now);
      this.transition(row.state, "closed", now, `reset by ${by}`);
    });
  }

  private policy(): BreakerPolicy {
    return policyFrom(loadSettings(this.env));
  }

  private readRow(): BreakerRow {
    return BreakerRowSchema.parse(
      this.sql
        .exec(
          "SELECT name, state, since, open_until, last_failure_at, last_error, last_duration_ms FROM breaker WHERE id = 1",
        )
        .one(),
    );
  }

  /** Applies what the passing of time implies: expired probe permits, open → half-open. */
  private advance(now: number): BreakerRow {
    this.sql.exec("DELETE FROM probes WHERE expires_at <= ?", now);
    const row = this.readRow();
    if (row.state !== "open" || row.open_until === null || now < row.open_until) return row;

    // The breaker became half-open when the open period ended, not when someone noticed.
    this.transition("open", "half_open", row.open_until, "open period elapsed");
    return this.readRow();
  }

  private grantProbe(now: number, policy: BreakerPolicy): BreakerDecision {
    const probes = this.probes();
    if (probes.in_flight >= policy.halfOpenProbes) {
      const nextFree = Math.min(probes.earliest ?? now, now + policy.openSeconds * 1000);
      return { allowed: false, state: "half_open", retryAfterSeconds: secondsUntil(nextFree, now) };
    }

    const permitId = crypto.randomUUID();
    this.sql.exec(
      "INSERT INTO probes (permit_id, expires_at) VALUES (?, ?)",
      permitId,
      now + policy.probeTimeoutSeconds * 1000,
    );
    return { allowed: true, probe: true, permitId };
  }

  /** Removes a probe permit; false when it was unknown or had expired. */
  private takePermit(permitId: string): boolean {
    return (
      this.sql
        .exec("DELETE FROM probes WHERE permit_id = ? RETURNING permit_id", permitId)
        .toArray().length > 0
    );
  }

  private probes(): z.infer<typeof ProbeRowSchema> {
    return ProbeRowSchema.parse(
      this.sql.exec("SELECT COUNT(*) AS in_flight, MIN(expires_at) AS earliest FROM probes").one(),
    );
  }

  /** Adds one outcome to its one-second bucket and drops buckets that left the window. */
  private count(now: number, ok: boolean, policy: BreakerPolicy): void {
    const second = Math.floor(now / 1000);
    this.sql.exec(
      `INSERT INTO outcomes (second, calls, failures) VALUES (?, 1, ?)
       ON CONFLICT (second) DO UPDATE SET calls = calls + 1, failures = failures + excluded.failures`,
      second,
      ok ? 0 : 1,
    );
    this.sql.exec("DELETE FROM outcomes WHERE second <= ?", second - policy.windowSeconds);
  }

  private window(now: number, policy: BreakerPolicy): z.infer<typeof WindowRowSchema> {
    const oldest = Math.floor(now / 1000) - policy.windowSeconds;
    return WindowRowSchema.parse(
      this.sql
        .exec(
          "SELECT COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(failures), 0) AS failures FROM outcomes WHERE second > ?",
          oldest,
        )
        .one(),
    );
  }

  private tripIfUnhealthy(
    now: number,
    policy: BreakerPolicy,
    error: string | null,
    traceId: string | undefined,
  ): void {
    const { calls, failures } = this.window(now, policy);
    if (calls < policy.minCalls) return;
    if (failures * 100 < policy.failureRatePercent * calls) return;

    const summary = `${failures} of ${calls} calls failed in ${policy.windowSeconds} s (${rate({ calls, failures })}% ≥ ${policy.failureRatePercent}%)`;
    this.reopen("closed", now, policy, withTrace(withError(summary, error), traceId));
  }

  private reopen(from: BreakerState, now: number, policy: BreakerPolicy, reason: string): void {
    this.transition(from, "open", now, reason, now + policy.openSeconds * 1000);
  }

  /** Moves to `to`, voiding probe permits; entering closed starts a fresh window. */
  private transition(
    from: BreakerState,
    to: BreakerState,
    at: number,
    reason: string,
    openUntil: number | null = null,
  ): void {
    this.sql.exec(
      "UPDATE breaker SET state = ?, since = ?, open_until = ? WHERE id = 1",
      to,
      at,
      openUntil,
    );
    this.sql.exec("DELETE FROM probes");
    if (to === "closed") this.sql.exec("DELETE FROM outcomes");

    this.sql.exec(
      "INSERT INTO transitions (at, from_state, to_state, reason) VALUES (?, ?, ?, ?)",
      at,
      from,
      to,
      reason,
    );
    this.sql.exec(
      "DELETE FROM transitions WHERE id <= (SELECT MAX(id) FROM transitions) - ?",
      HISTORY_LENGTH,
    );

    recordBreakerTransition(this.env, { connector: this.readRow().name, state: to });
    // Flushed after the synchronous transaction that called us has committed.
    this.ctx.waitUntil(Promise.resolve().then(() => flushMetrics(this.env)));
  }
}

/** The breaker thresholds in the hub's settings. */
export function policyFrom(settings: Settings): BreakerPolicy {
  return {
    windowSeconds: settings.BREAKER_WINDOW_SECONDS,
    minCalls: settings.BREAKER_MIN_CALLS,
    failureRatePercent: settings.BREAKER_FAILURE_RATE_PERCENT,
    openSeconds: settings.BREAKER_OPEN_SECONDS,
    halfOpenProbes: settings.BREAKER_HALF_OPEN_PROBES,
    probeTimeoutSeconds: Math.ceil((settings.CONNECTOR_TIMEOUT_MS + PROBE_EXPIRY_MARGIN_MS) / 1000),
  };
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

function rate({ calls, failures }: { calls: number; failures: number }): number {
  return calls === 0 ? 0 : Math.round((failures / calls) * 1000) / 10;
}

function withError(reason: string, error: string | null): string {
  return error ? `${reason}; last error: ${error}` : reason;
}

/** Names the call that caused a transition, so the transition joins that call's trace. */
function withTrace(reason: string, traceId: string | undefined): string {
  return traceId ? `${reason}; trace ${traceId}` : reason;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
