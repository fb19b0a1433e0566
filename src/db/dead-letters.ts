import { and, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { deadLetters } from "./schema";

export type DeadLetter = typeof deadLetters.$inferSelect;
export type DeadLetterStatus = DeadLetter["status"];

export interface NewDeadLetter {
  shop: string;
  domain: string;
  topic: string;
  webhookId?: string;
  subjects: { orderId?: string; customerId?: string };
  envelope: unknown;
  errorClass: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
}

/** Parks a message. Returns the dead letter's id. */
export async function recordDeadLetter(
  db: Database,
  letter: NewDeadLetter,
  now = Date.now(),
): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(deadLetters).values({
    id,
    shop: letter.shop,
    domain: letter.domain,
    topic: letter.topic,
    webhookId: letter.webhookId ?? null,
    customerId: letter.subjects.customerId ?? null,
    orderId: letter.subjects.orderId ?? null,
    envelope: JSON.stringify(letter.envelope),
    errorClass: letter.errorClass,
    // Messages can quote a downstream system's answer; keep rows bounded.
    errorCode: letter.errorCode.slice(0, 100),
    errorMessage: letter.errorMessage.slice(0, 2000),
    attempts: letter.attempts,
    status: "open",
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export interface DeadLetterFilter {
  shop?: string;
  domain?: string;
  topic?: string;
  errorClass?: string;
  status?: DeadLetterStatus;
  /** Only rows created before this epoch-ms time: the cursor for the next page. */
  before?: number;
  limit: number;
}

function whereOf(filter: Omit<DeadLetterFilter, "limit">): SQL | undefined {
  const clauses: SQL[] = [];
  if (filter.shop) clauses.push(eq(deadLetters.shop, filter.shop));
  if (filter.domain) clauses.push(eq(deadLetters.domain, filter.domain));
  if (filter.topic) clauses.push(eq(deadLetters.topic, filter.topic));
  if (filter.errorClass) clauses.push(eq(deadLetters.errorClass, filter.errorClass));
  if (filter.status) clauses.push(eq(deadLetters.status, filter.status));
  if (filter.before !== undefined) clauses.push(lt(deadLetters.createdAt, filter.before));
  return clauses.length ? and(...clauses) : undefined;
}

/** Newest first. */
export async function listDeadLetters(
  db: Database,
  filter: DeadLetterFilter,
): Promise<DeadLetter[]> {
  return db
    .select()
    .from(deadLetters)
    .where(whereOf(filter))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(filter.limit);
}

export async function getDeadLetter(db: Database, id: string): Promise<DeadLetter | undefined> {
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.id, id));
  return row;
}

export async function markReplayed(db: Database, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(deadLetters)
    .set({ status: "replayed", replayCount: sql`${deadLetters.replayCount} + 1`, updatedAt: now })
    .where(inArray(deadLetters.id, ids));
}

/** The marker that replaces a redacted payload inside a parked envelope. */
export const REDACTED_PAYLOAD = { redacted: true } as const;

/**
 * Replaces the payload of every dead letter about the customer or the orders with
 * {@link REDACTED_PAYLOAD}; the row stays for the audit trail. Returns the count.
 */
export async function redactDeadLetters(
  db: Database,
  filter: { shop: string; customerId?: string; orderIds?: string[] },
): Promise<number> {
  const subjects: SQL[] = [];
  if (filter.customerId) subjects.push(eq(deadLetters.customerId, filter.customerId));
  if (filter.orderIds?.length) subjects.push(inArray(deadLetters.orderId, filter.orderIds));
  if (subjects.length === 0) return 0;

  const where = and(eq(deadLetters.shop, filter.shop), or(...subjects));
  const rows = await db
    .select({ id: deadLetters.id, envelope: deadLetters.envelope })
    .from(deadLetters)
    .where(where);

  const now = Date.now();
  const updates = rows.map((row) => {
    const envelope: unknown = JSON.parse(row.envelope);
    const redacted =
      typeof envelope === "object" && envelope !== null
        ? { ...envelope, payload: REDACTED_PAYLOAD, payloadRef: undefined }
        : { payload: REDACTED_PAYLOAD };
    return db
      .update(deadLetters)
      .set({
        envelope: JSON.stringify(redacted),
        customerId: null,
        status: "discarded",
        updatedAt: now,
      })
      .where(eq(deadLetters.id, row.id));
  });
  const [first, ...rest] = updates;
  if (first) await db.batch([first, ...rest]);
  return rows.length;
}

/** Rows held about a customer or orders, for a data request. */
export async function deadLettersAbout(
  db: Database,
  filter: { shop: string; customerId?: string; orderIds?: string[] },
): Promise<DeadLetter[]> {
  const subjects: SQL[] = [];
  if (filter.customerId) subjects.push(eq(deadLetters.customerId, filter.customerId));
  if (filter.orderIds?.length) subjects.push(inArray(deadLetters.orderId, filter.orderIds));
  if (subjects.length === 0) return [];
  return db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.shop, filter.shop), or(...subjects)));
}

export async function deleteShopDeadLetters(db: Database, shop: string): Promise<number> {
  const result = await db.delete(deadLetters).where(eq(deadLetters.shop, shop)).run();
  return result.meta.changes;
}
