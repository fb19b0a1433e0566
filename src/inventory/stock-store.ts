import { z } from "zod";
import type { StockLevel } from "../domain/stock";
import { type Ordering, OrderingSchema, RESERVATION_STATUSES } from "./operations";

/**
 * The SkuStock object's SQLite tables and the synchronous reads and writes over them.
 * Nothing here awaits: callers run a whole read-modify-write inside `transactionSync`.
 * Times are epoch milliseconds.
 */
export const STOCK_TABLES = `
  CREATE TABLE IF NOT EXISTS meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    shop TEXT NOT NULL,
    sku TEXT NOT NULL,
    push_due_at INTEGER,
    alarm_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS levels (
    location_id TEXT PRIMARY KEY,
    on_hand INTEGER NOT NULL DEFAULT 0,
    reserved INTEGER NOT NULL DEFAULT 0,
    safety_stock INTEGER NOT NULL DEFAULT 0,
    ordering TEXT,
    snapshot_position INTEGER,
    shopify_available INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS reservations (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    line_id TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    backordered INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS reservations_status ON reservations (status, expires_at);
  CREATE TABLE IF NOT EXISTS allocations (
    reservation_id TEXT NOT NULL,
    location_id TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (reservation_id, location_id)
  );
  CREATE TABLE IF NOT EXISTS operations (
    op_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location_id TEXT,
    position INTEGER,
    quantity INTEGER,
    outcome TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS operations_deltas ON operations (location_id, kind, position);
  CREATE INDEX IF NOT EXISTS operations_applied ON operations (applied_at);
  CREATE TABLE IF NOT EXISTS push_trace (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    traceparent TEXT NOT NULL
  );
`;

const LevelRowSchema = z.object({
  location_id: z.string(),
  on_hand: z.number(),
  reserved: z.number(),
  safety_stock: z.number(),
  ordering: OrderingSchema.nullable(),
  snapshot_position: z.number().nullable(),
  shopify_available: z.number().nullable(),
  updated_at: z.number(),
});

/** A location row. */
export interface LevelRow extends StockLevel {
  ordering: Ordering | null;
  snapshotPosition: number | null;
  shopifyAvailable: number | null;
  updatedAt: number;
}

const ReservationRowSchema = z.object({
  id: z.string(),
  order_id: z.string(),
  line_id: z.string(),
  quantity: z.number(),
  backordered: z.number(),
  status: z.enum(RESERVATION_STATUSES),
  expires_at: z.number().nullable(),
  created_at: z.number(),
});
export type ReservationRow = z.infer<typeof ReservationRowSchema>;

const MetaRowSchema = z.object({
  shop: z.string(),
  sku: z.string(),
  push_due_at: z.number().nullable(),
  alarm_at: z.number().nullable(),
});
export type MetaRow = z.infer<typeof MetaRowSchema>;

const AllocationRowSchema = z.object({ location_id: z.string(), quantity: z.number() });
const SumSchema = z.object({ total: z.number().nullable() });

/** Synchronous access to one object's stock tables. */
export class StockStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(STOCK_TABLES);
  }

  meta(): MetaRow | undefined {
    const row = this.sql.exec("SELECT shop, sku, push_due_at, alarm_at FROM meta").toArray()[0];
    return row ? MetaRowSchema.parse(row) : undefined;
  }

  /** Records which shop and SKU this object holds, on its first write. */
  ensureMeta(shop: string, sku: string): void {
    this.sql.exec(
      "INSERT INTO meta (id, shop, sku) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
      shop,
      sku,
    );
  }

  setPushDueAt(at: number | null): void {
    this.sql.exec("UPDATE meta SET push_due_at = ?", at);
  }

  /** The W3C trace of the change that opened the pending push's debounce window. */
  setPushTrace(traceparent: string | null): void {
    if (traceparent === null) this.sql.exec("DELETE FROM push_trace");
    else {
      this.sql.exec(
        "INSERT INTO push_trace (id, traceparent) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET traceparent = excluded.traceparent",
        traceparent,
      );
    }
  }

  pushTrace(): string | undefined {
    const [row] = this.sql
      .exec<{ traceparent: string }>("SELECT traceparent FROM push_trace")
      .toArray();
    return row?.traceparent;
  }

  setAlarmAt(at: number | null): void {
    this.sql.exec("UPDATE meta SET alarm_at = ?", at);
  }

  levels(): LevelRow[] {
    return this.sql
      .exec("SELECT * FROM levels ORDER BY location_id")
      .toArray()
      .map((row) => toLevel(LevelRowSchema.parse(row)));
  }

  level(locationId: string): LevelRow | undefined {
    const row = this.sql
      .exec("SELECT * FROM levels WHERE location_id = ?", locationId)
      .toArray()[0];
    return row ? toLevel(LevelRowSchema.parse(row)) : undefined;
  }

  saveLevel(level: LevelRow): void {
    this.sql.exec(
      `INSERT INTO levels (location_id, on_hand, reserved, safety_stock, ordering, snapshot_position,
         shopify_available, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (location_id) DO UPDATE SET
         on_hand = excluded.on_hand, reserved = excluded.reserved,
         safety_stock = excluded.safety_stock, ordering = excluded.ordering,
         snapshot_position = excluded.snapshot_position,
         shopify_available = excluded.shopify_available, updated_at = excluded.updated_at`,
      level.locationId,
      level.onHand,
      level.reserved,
      level.safetyStock,
      level.ordering,
      level.snapshotPosition,
      level.shopifyAvailable,
      level.updatedAt,
    );
  }

  /** Moves `delta` units into (positive) or out of (negative) a location's reserved count. */
  addReserved(locationId: string, delta: number, now: number): void {
    this.sql.exec(
      "UPDATE levels SET reserved = reserved + ?, updated_at = ? WHERE location_id = ?",
      delta,
      now,
      locationId,
    );
  }

  /** Takes committed units out of on-hand: they left the warehouse. */
  addOnHand(locationId: string, delta: number, now: number): void {
    this.sql.exec(
      "UPDATE levels SET on_hand = on_hand + ?, updated_at = ? WHERE location_id = ?",
      delta,
      now,
      locationId,
    );
  }

  /** The sum of deltas applied at a location after `position`. */
  deltasAfter(locationId: string, position: number): number {
    const row = this.sql
      .exec(
        `SELECT SUM(quantity) AS total FROM operations
         WHERE location_id = ? AND kind = 'delta' AND outcome = 'accepted' AND position > ?`,
        locationId,
        position,
      )
      .toArray()[0];
    return SumSchema.parse(row ?? { total: 0 }).total ?? 0;
  }

  /**
   * The on-hand count of the snapshot accepted at `position` for a location, from the
   * operation log; null when there is none or the log entry has been pruned (30 days).
   */
  snapshotOnHand(locationId: string, position: number): number | null {
    const row = this.sql
      .exec(
        `SELECT SUM(quantity) AS total FROM operations
         WHERE location_id = ? AND kind = 'snapshot' AND outcome = 'accepted' AND position = ?`,
        locationId,
        position,
      )
      .toArray()[0];
    return SumSchema.parse(row ?? { total: null }).total;
  }

  /** Forgets what Shopify last confirmed everywhere, so the next push sets every location. */
  clearShopifyAvailable(): void {
    this.sql.exec("UPDATE levels SET shopify_available = NULL");
  }

  /** True when an operation with this id was applied before. */
  hasOperation(opId: string): boolean {
    return this.sql.exec("SELECT 1 FROM operations WHERE op_id = ?", opId).toArray().length > 0;
  }

  logOperation(op: {
    opId: string;
    kind: string;
    locationId?: string;
    position?: number;
    quantity?: number;
    outcome: string;
    at: number;
  }): void {
    this.sql.exec(
      `INSERT INTO operations (op_id, kind, location_id, position, quantity, outcome, applied_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING`,
      op.opId,
      op.kind,
      op.locationId ?? null,
      op.position ?? null,
      op.quantity ?? null,
      op.outcome,
      op.at,
    );
  }

  /** Drops log entries older than `before`; deltas a newer snapshot already covers go too. */
  pruneOperations(before: number): void {
    this.sql.exec("DELETE FROM operations WHERE applied_at < ?", before);
  }

  reservation(id: string): ReservationRow | undefined {
    const row = this.sql.exec("SELECT * FROM reservations WHERE id = ?", id).toArray()[0];
    return row ? ReservationRowSchema.parse(row) : undefined;
  }

  saveReservation(row: ReservationRow, now: number): void {
    this.sql.exec(
      `INSERT INTO reservations (id, order_id, line_id, quantity, backordered, status, expires_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         quantity = excluded.quantity, backordered = excluded.backordered,
         status = excluded.status, expires_at = excluded.expires_at,
         updated_at = excluded.updated_at`,
      row.id,
      row.order_id,
      row.line_id,
      row.quantity,
      row.backordered,
      row.status,
      row.expires_at,
      row.created_at,
      now,
    );
  }

  /** Open (pending or held) reservations still owed units, oldest first. */
  backorderedReservations(): ReservationRow[] {
    return this.sql
      .exec(
        `SELECT * FROM reservations
         WHERE status IN ('pending', 'held') AND backordered > 0 ORDER BY created_at, id`,
      )
      .toArray()
      .map((row) => ReservationRowSchema.parse(row));
  }

  /** Pending reservations whose time ran out by `now`. */
  expiredReservations(now: number): ReservationRow[] {
    return this.sql
      .exec(
        "SELECT * FROM reservations WHERE status = 'pending' AND expires_at <= ? ORDER BY id",
        now,
      )
      .toArray()
      .map((row) => ReservationRowSchema.parse(row));
  }

  nextExpiry(): number | null {
    const row = this.sql
      .exec("SELECT MIN(expires_at) AS total FROM reservations WHERE status = 'pending'")
      .toArray()[0];
    return SumSchema.parse(row ?? { total: null }).total;
  }

  openReservationStats(): { count: number; backordered: number } {
    const row = this.sql
      .exec(
        `SELECT COUNT(*) AS count, COALESCE(SUM(backordered), 0) AS backordered
         FROM reservations WHERE status IN ('pending', 'held')`,
      )
      .toArray()[0];
    return z.object({ count: z.number(), backordered: z.number() }).parse(row);
  }

  allocations(reservationId: string): { locationId: string; quantity: number }[] {
    return this.sql
      .exec(
        "SELECT location_id, quantity FROM allocations WHERE reservation_id = ? ORDER BY location_id",
        reservationId,
      )
      .toArray()
      .map((row) => {
        const parsed = AllocationRowSchema.parse(row);
        return { locationId: parsed.location_id, quantity: parsed.quantity };
      });
  }

  addAllocation(reservationId: string, locationId: string, quantity: number): void {
    this.sql.exec(
      `INSERT INTO allocations (reservation_id, location_id, quantity) VALUES (?, ?, ?)
       ON CONFLICT (reservation_id, location_id) DO UPDATE SET quantity = quantity + excluded.quantity`,
      reservationId,
      locationId,
      quantity,
    );
  }

  setAllocation(reservationId: string, locationId: string, quantity: number): void {
    if (quantity === 0) {
      this.sql.exec(
        "DELETE FROM allocations WHERE reservation_id = ? AND location_id = ?",
        reservationId,
        locationId,
      );
      return;
    }
    this.sql.exec(
      "UPDATE allocations SET quantity = ? WHERE reservation_id = ? AND location_id = ?",
      quantity,
      reservationId,
      locationId,
    );
  }

  clearAllocations(reservationId: string): void {
    this.sql.exec("DELETE FROM allocations WHERE reservation_id = ?", reservationId);
  }
}

function toLevel(row: z.infer<typeof LevelRowSchema>): LevelRow {
  return {
    locationId: row.location_id,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    ordering: row.ordering,
    snapshotPosition: row.snapshot_position,
    shopifyAvailable: row.shopify_available,
    updatedAt: row.updated_at,
  };
}

/** A location the object has not heard of yet: nothing on hand, nothing promised. */
export function emptyLevel(locationId: string, now: number): LevelRow {
  return {
    locationId,
    onHand: 0,
    reserved: 0,
    safetyStock: 0,
    ordering: null,
    snapshotPosition: null,
    shopifyAvailable: null,
    updatedAt: now,
  };
}
