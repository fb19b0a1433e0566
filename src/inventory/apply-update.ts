import type { StockUpdate, UpdateOutcome } from "./operations";
import { emptyLevel, type StockStore } from "./stock-store";

/** The operation-log id of an OMS/WMS line: one per location and position. */
export function updateOperationId(update: StockUpdate): string {
  return `update:${update.locationId}:${update.ordering}:${update.position}`;
}

/**
 * Applies one OMS/WMS line to its location. Synchronous; run it inside a transaction.
 *
 * Deltas commute, so one arriving out of order is still applied once; a snapshot sets
 * on-hand to its count plus every delta already applied after its position, so an older
 * snapshot never undoes a newer delta. Anything at or before the last snapshot's position
 * is already in that snapshot and is ignored as stale. A line seen before is a duplicate.
 */
export function applyUpdate(store: StockStore, update: StockUpdate, now: number): UpdateOutcome {
  const level = store.level(update.locationId) ?? emptyLevel(update.locationId, now);
  if (level.ordering !== null && level.ordering !== update.ordering) {
    return {
      status: "rejected",
      reason: "ordering_mismatch",
      detail: `location ${update.locationId} is ordered by ${level.ordering}, this line by ${update.ordering}`,
    };
  }

  const opId = updateOperationId(update);
  if (store.hasOperation(opId)) return { status: "duplicate" };
  if (level.snapshotPosition !== null && update.position <= level.snapshotPosition) {
    return { status: "ignored_stale", reason: "older_than_snapshot" };
  }

  const onHand =
    update.kind === "snapshot"
      ? update.quantity + store.deltasAfter(update.locationId, update.position)
      : level.onHand + update.quantity;
  store.saveLevel({
    ...level,
    onHand,
    safetyStock: update.safetyStock ?? level.safetyStock,
    ordering: update.ordering,
    snapshotPosition: update.kind === "snapshot" ? update.position : level.snapshotPosition,
    updatedAt: now,
  });
  store.logOperation({
    opId,
    kind: update.kind,
    locationId: update.locationId,
    position: update.position,
    quantity: update.quantity,
    outcome: "accepted",
    at: now,
  });
  return { status: "accepted" };
}
