import { desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { cronRuns } from "./schema";

export type CronRun = typeof cronRuns.$inferSelect;

export async function startCronRun(
  db: Database,
  job: string,
  scheduledAt: number,
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insert(cronRuns)
    .values({ id, job, scheduledAt, startedAt: Date.now(), status: "running" });
  return id;
}

export async function finishCronRun(
  db: Database,
  id: string,
  outcome: { status: "succeeded" | "failed"; summary: unknown },
): Promise<void> {
  await db
    .update(cronRuns)
    .set({
      status: outcome.status,
      finishedAt: Date.now(),
      summary: JSON.stringify(outcome.summary),
    })
    .where(eq(cronRuns.id, id));
}

export async function listCronRuns(
  db: Database,
  job: string | undefined,
  limit: number,
): Promise<CronRun[]> {
  return db
    .select()
    .from(cronRuns)
    .where(job ? eq(cronRuns.job, job) : undefined)
    .orderBy(desc(cronRuns.startedAt))
    .limit(limit);
}
