import { appendAudit } from "../audit/append";
import type { Database } from "../db/client";
import { writeBookChanges } from "../db/price-books";
import { nextVersion } from "../db/price-heads";
import { auditEntries } from "./audit-changes";
import type { BookChange } from "./diff";
import type { PriceList } from "./model";

/** The version a change set became, or `undefined` when it changed nothing. */
export interface Applied {
  version: number | undefined;
  changes: readonly BookChange[];
}

/**
 * Writes a change set to D1 as the shop's next version and appends one audit entry per
 * changed row, attributed to `actor`. An empty change set makes no version and no entry,
 * so a repeated delivery of the same change is a no-op.
 */
export async function applyBookChanges(
  db: Database,
  shop: string,
  actor: string,
  kind: "full" | "incremental",
  changes: readonly BookChange[],
  lists: readonly PriceList[],
): Promise<Applied> {
  if (changes.length === 0) return { version: undefined, changes };

  const currencies = new Map(lists.map((list) => [list.id, list.currency]));
  for (const change of changes) {
    if (change.kind === "priceList" && change.after) {
      currencies.set(change.after.id, change.after.currency);
    }
  }
  const currencyOf = (id: string) => currencies.get(id);

  const version = await nextVersion(db, shop, { kind, actor, changes: changes.length });
  await writeBookChanges(db, shop, version, changes, (id) => {
    const currency = currencyOf(id);
    // The planners only emit entries of lists they know; anything else is a bug.
    if (!currency) throw new Error(`price list ${id} has no known currency`);
    return currency;
  });
  await appendAudit(db, auditEntries(shop, actor, changes, currencyOf));
  return { version, changes };
}
