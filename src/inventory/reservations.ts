import { allocate } from "../domain/stock";
import {
  type AdjustInput,
  type ReservationView,
  type ReserveInput,
  reservationIdOf,
  type SettleInput,
} from "./operations";
import type { ReservationRow, StockStore } from "./stock-store";

/**
 * Reservation transitions over one object's tables, each synchronous and idempotent by
 * its source id. A reservation is `pending` (unpaid, expires) or `held` while open, then
 * `committed` (fulfilled), `released` (cancelled) or `expired`. A release or commit that
 * arrives before its reservation leaves a closed record behind, so the late create is a
 * duplicate and never holds stock for a cancelled order.
 */

const OPEN = new Set(["pending", "held"]);

export function isOpen(row: ReservationRow): boolean {
  return OPEN.has(row.status);
}

/** Holds stock for an order line, up to what is available; the rest is backordered. */
export function reserve(store: StockStore, input: ReserveInput, now: number): ReservationView {
  const id = reservationIdOf(input.orderId, input.lineId);
  const existing = store.reservation(id);
  if (existing) {
    // The order was paid since: the hold no longer expires.
    if (existing.status === "pending" && input.expiresAt === null) {
      const held: ReservationRow = { ...existing, status: "held", expires_at: null };
      store.saveReservation(held, now);
      store.logOperation({ opId: `hold:${id}`, kind: "hold", outcome: "applied", at: now });
      return viewOf(store, held, "applied");
    }
    return viewOf(store, existing, "duplicate");
  }

  const shortfall = allocateMore(store, id, input.quantity, now);
  const row: ReservationRow = {
    id,
    order_id: input.orderId,
    line_id: input.lineId,
    quantity: input.quantity,
    backordered: shortfall,
    status: input.expiresAt === null ? "held" : "pending",
    expires_at: input.expiresAt,
    created_at: now,
  };
  store.saveReservation(row, now);
  store.logOperation({
    opId: `reserve:${id}`,
    kind: "reserve",
    quantity: input.quantity,
    outcome: shortfall > 0 ? "backordered" : "applied",
    at: now,
  });
  return viewOf(store, row, "applied");
}

/** Releases (cancelled) or commits (fulfilled: the units leave on-hand) an order line. */
export function settle(store: StockStore, input: SettleInput, now: number): ReservationView {
  const id = reservationIdOf(input.orderId, input.lineId);
  const status = input.action === "release" ? "released" : "committed";
  const existing = store.reservation(id);
  if (existing && !isOpen(existing)) return viewOf(store, existing, "duplicate");

  const row: ReservationRow = existing
    ? { ...existing, status, backordered: 0, expires_at: null }
    : {
        id,
        order_id: input.orderId,
        line_id: input.lineId,
        quantity: 0,
        backordered: 0,
        status,
        expires_at: null,
        created_at: now,
      };
  if (existing) freeAllocations(store, id, input.action === "commit", now);
  store.saveReservation(row, now);
  store.logOperation({
    opId: `${input.action}:${id}`,
    kind: input.action,
    outcome: existing ? `applied:${input.source}` : `before_reservation:${input.source}`,
    at: now,
  });
  return viewOf(store, row, "applied");
}

/**
 * Sets an order line's reservation to the quantity the OMS confirmed, releasing units or
 * holding more (backordering what is not there). Creates the reservation when the
 * confirmation comes first; the later create is then a duplicate. Idempotent by
 * `confirmationId`.
 */
export function adjust(store: StockStore, input: AdjustInput, now: number): ReservationView {
  const id = reservationIdOf(input.orderId, input.lineId);
  const opId = `adjust:${input.confirmationId}`;
  const existing = store.reservation(id);
  if (store.hasOperation(opId) && existing) return viewOf(store, existing, "duplicate");
  if (existing && !isOpen(existing)) return viewOf(store, existing, "duplicate");

  let row: ReservationRow;
  if (!existing && input.quantity === 0) {
    return settle(store, { ...input, action: "release", source: "oms_confirmation" }, now);
  }
  if (!existing) {
    const shortfall = allocateMore(store, id, input.quantity, now);
    row = {
      id,
      order_id: input.orderId,
      line_id: input.lineId,
      quantity: input.quantity,
      backordered: shortfall,
      status: "held",
      expires_at: null,
      created_at: now,
    };
  } else {
    const allocated = sumOf(store.allocations(id));
    let backordered = 0;
    if (input.quantity < allocated) shrinkAllocations(store, id, allocated - input.quantity, now);
    else backordered = allocateMore(store, id, input.quantity - allocated, now);
    row = {
      ...existing,
      quantity: input.quantity,
      backordered,
      ...(input.quantity === 0 ? { status: "released" as const, expires_at: null } : {}),
    };
  }

  store.saveReservation(row, now);
  store.logOperation({
    opId,
    kind: "adjust",
    quantity: input.quantity,
    outcome: "applied",
    at: now,
  });
  return viewOf(store, row, "applied");
}

/** Releases every pending reservation whose time ran out. Returns how many expired. */
export function expireDue(store: StockStore, now: number): number {
  const due = store.expiredReservations(now);
  for (const row of due) {
    freeAllocations(store, row.id, false, now);
    store.saveReservation({ ...row, status: "expired", backordered: 0 }, now);
    store.logOperation({ opId: `expire:${row.id}`, kind: "expire", outcome: "applied", at: now });
  }
  return due.length;
}

/**
 * Gives newly available units to open backorders, oldest first, so stock that arrives
 * for orders Shopify already took is never offered again. Returns the units filled.
 */
export function fillBackorders(store: StockStore, now: number): number {
  let filled = 0;
  for (const row of store.backorderedReservations()) {
    const shortfall = allocateMore(store, row.id, row.backordered, now);
    if (shortfall === row.backordered) break;
    filled += row.backordered - shortfall;
    store.saveReservation({ ...row, backordered: shortfall }, now);
  }
  return filled;
}

/** Allocates `quantity` more units to a reservation; returns the shortfall. */
function allocateMore(store: StockStore, id: string, quantity: number, now: number): number {
  if (quantity === 0) return 0;
  const { allocations, shortfall } = allocate(store.levels(), quantity);
  for (const allocation of allocations) {
    store.addAllocation(id, allocation.locationId, allocation.quantity);
    store.addReserved(allocation.locationId, allocation.quantity, now);
  }
  return shortfall;
}

// Gives back from the largest allocations first, so the smaller holds stay whole.
function shrinkAllocations(store: StockStore, id: string, quantity: number, now: number): void {
  let remaining = quantity;
  const allocations = store.allocations(id).sort((a, b) => b.quantity - a.quantity);
  for (const allocation of allocations) {
    if (remaining === 0) break;
    const given = Math.min(allocation.quantity, remaining);
    store.setAllocation(id, allocation.locationId, allocation.quantity - given);
    store.addReserved(allocation.locationId, -given, now);
    remaining -= given;
  }
}

function freeAllocations(store: StockStore, id: string, commit: boolean, now: number): void {
  for (const allocation of store.allocations(id)) {
    store.addReserved(allocation.locationId, -allocation.quantity, now);
    if (commit) store.addOnHand(allocation.locationId, -allocation.quantity, now);
  }
  // Committed allocations stay as the record of where the units shipped from.
  if (!commit) store.clearAllocations(id);
}

function sumOf(allocations: { quantity: number }[]): number {
  return allocations.reduce((sum, allocation) => sum + allocation.quantity, 0);
}

/** The caller's view of a reservation row. */
export function viewOf(
  store: StockStore,
  row: ReservationRow,
  outcome: ReservationView["outcome"],
): ReservationView {
  return {
    reservationId: row.id,
    orderId: row.order_id,
    lineId: row.line_id,
    status: row.status,
    quantity: row.quantity,
    allocated: sumOf(store.allocations(row.id)),
    backordered: row.backordered,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
    outcome,
  };
}
