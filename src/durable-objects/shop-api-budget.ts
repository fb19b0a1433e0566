import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  type CostBucket,
  freshBucket,
  type Reservation,
  reserve,
  restore,
  settle,
} from "../shopify/admin/cost-bucket";
import { ThrottleStatusSchema } from "../shopify/admin/graphql-response";

const CostSchema = z.number().positive().finite();
const MaxWaitSchema = z.number().min(0).finite();
const CostReportSchema = z.object({
  actualQueryCost: z.number().min(0).nullish(),
  throttleStatus: ThrottleStatusSchema.optional(),
});

const BucketRowSchema = z.object({
  maximum_available: z.number(),
  restore_rate: z.number(),
  available: z.number(),
  updated_at_ms: z.number(),
  reported_at_ms: z.number().nullable(),
});

/** The budget as the admin API shows it. */
export interface BudgetSnapshot {
  maximumAvailable: number;
  restoreRate: number;
  /** Points free now; negative while granted reservations are still waiting for points. */
  available: number;
  /** "default" until Shopify has reported its throttleStatus for this shop. */
  source: "default" | "shopify";
  reportedAt: string | null;
}

/**
 * One Admin API cost budget per shop (`idFromName(shop)`), shared by every consumer that
 * calls Shopify for that shop: a leaky-bucket mirror of Shopify's own limit, so callers
 * wait or back off before Shopify throttles them. Every method is synchronous over SQLite
 * storage, so each read-modify-write is atomic; nothing here awaits the network.
 */
export class ShopApiBudget extends DurableObject<Cloudflare.Env> {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS bucket (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      maximum_available REAL NOT NULL,
      restore_rate REAL NOT NULL,
      available REAL NOT NULL,
      updated_at_ms INTEGER NOT NULL,
      reported_at_ms INTEGER
    )`);
  }

  /**
   * Reserves `estimatedCost` points before a request. Granted with `waitMs` 0 when the
   * points are free, granted with a wait when they restore within `maxWaitMs` (the caller
   * sleeps that long, then sends), refused otherwise (the caller backs off for `waitMs`).
   */
  reserve(estimatedCost: number, maxWaitMs: number): Reservation {
    const cost = parseInput(CostSchema, estimatedCost);
    const maxWait = parseInput(MaxWaitSchema, maxWaitMs);

    const next = reserve(this.load(), cost, maxWait, Date.now());
    if (next.reservation.granted) this.save(next.bucket);
    return next.reservation;
  }

  /**
   * Corrects the bucket with what Shopify reported for a request reserved at
   * `estimatedCost`. Pass `actualQueryCost: 0` for a throttled request (Shopify charged
   * nothing) and omit it when the outcome is unknown (the reservation stays spent).
   */
  settle(estimatedCost: number, report: z.input<typeof CostReportSchema>): BudgetSnapshot {
    const cost = parseInput(CostSchema, estimatedCost);
    const parsed = parseInput(CostReportSchema, report);

    const bucket = settle(this.load(), cost, parsed, Date.now());
    this.save(bucket);
    return toSnapshot(bucket);
  }

  /** The budget as of now, without changing it. */
  snapshot(): BudgetSnapshot {
    return toSnapshot(restore(this.load(), Date.now()));
  }

  private load(): CostBucket {
    const row = this.ctx.storage.sql
      .exec(
        "SELECT maximum_available, restore_rate, available, updated_at_ms, reported_at_ms FROM bucket WHERE id = 1",
      )
      .toArray()[0];
    if (!row) return freshBucket(Date.now());

    const stored = BucketRowSchema.parse(row);
    return {
      maximumAvailable: stored.maximum_available,
      restoreRate: stored.restore_rate,
      available: stored.available,
      updatedAtMs: stored.updated_at_ms,
      reportedAtMs: stored.reported_at_ms,
    };
  }

  private save(bucket: CostBucket): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO bucket (id, maximum_available, restore_rate, available, updated_at_ms, reported_at_ms)
       VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         maximum_available = excluded.maximum_available,
         restore_rate = excluded.restore_rate,
         available = excluded.available,
         updated_at_ms = excluded.updated_at_ms,
         reported_at_ms = excluded.reported_at_ms`,
      bucket.maximumAvailable,
      bucket.restoreRate,
      bucket.available,
      bucket.updatedAtMs,
      bucket.reportedAtMs,
    );
  }
}

/** A caller's bug, not a budget state: reported to the caller as a TypeError. */
function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TypeError(`ShopApiBudget: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function toSnapshot(bucket: CostBucket): BudgetSnapshot {
  return {
    maximumAvailable: bucket.maximumAvailable,
    restoreRate: bucket.restoreRate,
    available: Math.round(bucket.available * 100) / 100,
    source: bucket.reportedAtMs === null ? "default" : "shopify",
    reportedAt: bucket.reportedAtMs === null ? null : new Date(bucket.reportedAtMs).toISOString(),
  };
}
