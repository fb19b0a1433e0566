import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "./client";
import { buyerContacts, buyerLocations, buyerLookups } from "./schema";

export type BuyerContact = typeof buyerContacts.$inferSelect;

/** Records (or moves) a company contact; `locationIds` null keeps what was known. */
export async function upsertContact(
  db: Database,
  contact: {
    shop: string;
    contactId: string;
    customerId: string;
    companyId: string;
    locationIds?: string[] | null;
  },
  now = Date.now(),
): Promise<void> {
  const locationIds = contact.locationIds ? JSON.stringify([...contact.locationIds].sort()) : null;
  await db
    .insert(buyerContacts)
    .values({ ...contact, locationIds, updatedAt: now })
    .onConflictDoUpdate({
      target: [buyerContacts.shop, buyerContacts.contactId],
      set: {
        customerId: contact.customerId,
        companyId: contact.companyId,
        ...(contact.locationIds ? { locationIds } : {}),
        updatedAt: now,
      },
    });
}

export async function upsertLocation(
  db: Database,
  location: { shop: string; locationId: string; companyId: string },
  now = Date.now(),
): Promise<void> {
  await db
    .insert(buyerLocations)
    .values({ ...location, updatedAt: now })
    .onConflictDoUpdate({
      target: [buyerLocations.shop, buyerLocations.locationId],
      set: { companyId: location.companyId, updatedAt: now },
    });
}

export async function deleteContact(db: Database, shop: string, contactId: string) {
  await db
    .delete(buyerContacts)
    .where(and(eq(buyerContacts.shop, shop), eq(buyerContacts.contactId, contactId)));
}

export async function deleteLocation(db: Database, shop: string, locationId: string) {
  await db
    .delete(buyerLocations)
    .where(and(eq(buyerLocations.shop, shop), eq(buyerLocations.locationId, locationId)));
}

/** Forgets a company with its contacts and locations (`companies/delete`). */
export async function deleteCompany(db: Database, shop: string, companyId: string) {
  await db.batch([
    db
      .delete(buyerContacts)
      .where(and(eq(buyerContacts.shop, shop), eq(buyerContacts.companyId, companyId))),
    db
      .delete(buyerLocations)
      .where(and(eq(buyerLocations.shop, shop), eq(buyerLocations.companyId, companyId))),
  ]);
}

/** Forgets a customer's contact records (`customers/delete`). */
export async function deleteCustomer(db: Database, shop: string, customerId: string) {
  await db
    .delete(buyerContacts)
    .where(and(eq(buyerContacts.shop, shop), eq(buyerContacts.customerId, customerId)));
}

export async function contactsOfCustomer(
  db: Database,
  shop: string,
  customerId: string,
): Promise<BuyerContact[]> {
  return db
    .select()
    .from(buyerContacts)
    .where(and(eq(buyerContacts.shop, shop), eq(buyerContacts.customerId, customerId)));
}

/** Location id → company id for every known location of `companyIds`. */
export async function locationsOfCompanies(
  db: Database,
  shop: string,
  companyIds: readonly string[],
): Promise<Map<string, string>> {
  if (companyIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(buyerLocations)
    .where(and(eq(buyerLocations.shop, shop), inArray(buyerLocations.companyId, [...companyIds])));
  return new Map(rows.map((row) => [row.locationId, row.companyId]));
}

/** When the Admin API was last asked about this customer, if ever. */
export async function lastLookup(db: Database, shop: string, customerId: string) {
  const [row] = await db
    .select()
    .from(buyerLookups)
    .where(and(eq(buyerLookups.shop, shop), eq(buyerLookups.customerId, customerId)));
  return row?.checkedAt;
}

export async function recordLookup(
  db: Database,
  shop: string,
  customerId: string,
  now = Date.now(),
) {
  await db
    .insert(buyerLookups)
    .values({ shop, customerId, checkedAt: now })
    .onConflictDoUpdate({
      target: [buyerLookups.shop, buyerLookups.customerId],
      set: { checkedAt: now },
    });
}
