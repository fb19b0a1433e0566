import { and, desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { inventoryDrift, inventoryDriftRuns, inventoryItemMap } from "./schema";

export type InventoryDriftRun = typeof inventoryDriftRuns.$inferSelect;
export type InventoryDriftRow = typeof inventoryDrift.$inferSelect;
export type NewDriftFinding = Omit<typeof inventoryDrift.$inferInsert, "id" | "runId" | "shop">;

// Eleven columns a row: nine rows keep an insert under D1's 100 bound parameters.
const ROWS_PER_INSERT = 9;

/** Opens a sanity-check run for a shop; returns its id. */
export async function startDriftRun(
  db: Database,
  shop: string,
  tolerance: number,
  now = Date.now(),
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insert(inventoryDriftRuns)
    .values({ id, shop, status: "running", tolerance, startedAt: now });
  return id;
}

/** Records a run's findings, all or none (one D1 batch). */
export async function recordDriftFindings(
  db: Database,
  runId: string,
  shop: string,
  findings: NewDriftFinding[],
): Promise<void> {
  const rows = findings.map((finding) => ({ ...finding, id: crypto.randomUUID(), runId, shop }));
  const inserts = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    inserts.push(db.insert(inventoryDrift).values(rows.slice(start, start + ROWS_PER_INSERT)));
  }
  const [first, ...rest] = inserts;
  if (first) await db.batch([first, ...rest]);
}

/** Closes a run with its counts, or with the error that stopped it. */
export async function finishDriftRun(
  db: Database,
  runId: string,
  outcome:
    | { status: "succeeded"; checked: number; drifted: number; corrected: number; alerted: number }
    | { status: "failed"; error: string },
  now = Date.now(),
): Promise<void> {
  await db
    .update(inventoryDriftRuns)
    .set({ ...outcome, finishedAt: now })
    .where(eq(inventoryDriftRuns.id, runId));
}

/** One run of a shop by id, or the shop's latest when `runId` is absent. */
export async function findDriftRun(
  db: Database,
  shop: string,
  runId?: string,
): Promise<InventoryDriftRun | undefined> {
  const [run] = await db
    .select()
    .from(inventoryDriftRuns)
    .where(
      and(
        eq(inventoryDriftRuns.shop, shop),
        runId === undefined ? undefined : eq(inventoryDriftRuns.id, runId),
      ),
    )
    .orderBy(desc(inventoryDriftRuns.startedAt))
    .limit(1);
  return run;
}

/** Up to `limit` of a run's findings, by SKU then location. */
export async function listDriftFindings(
  db: Database,
  runId: string,
  limit: number,
): Promise<InventoryDriftRow[]> {
  return db
    .select()
    .from(inventoryDrift)
    .where(eq(inventoryDrift.runId, runId))
    .orderBy(inventoryDrift.sku, inventoryDrift.locationId)
    .limit(limit);
}

/** Every SKU → InventoryItem GID the mapping cache holds for a shop, in one query. */
export async function listItemMappings(db: Database, shop: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ sku: inventoryItemMap.sku, id: inventoryItemMap.inventoryItemId })
    .from(inventoryItemMap)
    .where(eq(inventoryItemMap.shop, shop));
  return new Map(rows.map((row) => [row.sku, row.id]));
}
