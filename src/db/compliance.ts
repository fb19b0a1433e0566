import { desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { complianceRequests, shopInstallations } from "./schema";

export type ComplianceRequest = typeof complianceRequests.$inferSelect;
export type InstallationStatus = (typeof shopInstallations.$inferSelect)["status"];

/**
 * Records a finished compliance request. Keyed by shop and webhook id, so a redelivered
 * request overwrites its own row instead of adding one.
 */
export async function recordComplianceRequest(
  db: Database,
  request: {
    shop: string;
    topic: string;
    webhookId: string;
    customerId?: string;
    receivedAt: number;
    result: unknown;
  },
): Promise<string> {
  const id = `${request.shop}:${request.webhookId}`;
  const row = {
    id,
    shop: request.shop,
    topic: request.topic,
    webhookId: request.webhookId,
    customerId: request.customerId ?? null,
    receivedAt: request.receivedAt,
    completedAt: Date.now(),
    result: JSON.stringify(request.result),
  };
  await db
    .insert(complianceRequests)
    .values(row)
    .onConflictDoUpdate({
      target: complianceRequests.id,
      set: { completedAt: row.completedAt, result: row.result },
    });
  return id;
}

export async function listComplianceRequests(
  db: Database,
  shop: string | undefined,
  limit: number,
) {
  return db
    .select()
    .from(complianceRequests)
    .where(shop ? eq(complianceRequests.shop, shop) : undefined)
    .orderBy(desc(complianceRequests.receivedAt))
    .limit(limit);
}

export async function getComplianceRequest(
  db: Database,
  id: string,
): Promise<ComplianceRequest | undefined> {
  const [row] = await db.select().from(complianceRequests).where(eq(complianceRequests.id, id));
  return row;
}

export async function setInstallationStatus(
  db: Database,
  shop: string,
  status: InstallationStatus,
): Promise<void> {
  const updatedAt = Date.now();
  await db
    .insert(shopInstallations)
    .values({ shop, status, updatedAt })
    .onConflictDoUpdate({ target: shopInstallations.shop, set: { status, updatedAt } });
}

export async function getInstallationStatus(
  db: Database,
  shop: string,
): Promise<InstallationStatus> {
  const [row] = await db.select().from(shopInstallations).where(eq(shopInstallations.shop, shop));
  return row?.status ?? "active";
}
