import { and, eq, gt, lt } from "drizzle-orm";
import type { Database } from "./client";
import { oauthStates } from "./schema";

/** Records a fresh OAuth `state` nonce for `shop`, good until `expiresAt`. */
export async function saveOauthState(
  db: Database,
  state: { state: string; shop: string; expiresAt: number },
  now = Date.now(),
): Promise<void> {
  await db.insert(oauthStates).values({ ...state, createdAt: now });
}

/**
 * Takes the `state` issued for `shop`, if it is still live, deleting it in the same
 * statement: of two callbacks carrying the same state, exactly one gets `true`.
 */
export async function consumeOauthState(
  db: Database,
  state: string,
  shop: string,
  now = Date.now(),
): Promise<boolean> {
  const taken = await db
    .delete(oauthStates)
    .where(
      and(eq(oauthStates.state, state), eq(oauthStates.shop, shop), gt(oauthStates.expiresAt, now)),
    )
    .returning({ state: oauthStates.state });
  return taken.length > 0;
}

/** Deletes states that expired before `now` (installs abandoned on the consent screen). */
export async function purgeExpiredOauthStates(db: Database, now = Date.now()): Promise<number> {
  const result = await db.delete(oauthStates).where(lt(oauthStates.expiresAt, now)).run();
  return result.meta.changes;
}
