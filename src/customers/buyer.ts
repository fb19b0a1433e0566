import type { Settings } from "../config/settings";
import {
  contactsOfCustomer,
  lastLookup,
  locationsOfCompanies,
  recordLookup,
  upsertContact,
  upsertLocation,
} from "../db/buyer-directory";
import type { Database } from "../db/client";
import { describeError, type Logger } from "../observability/logger";
import { fetchBuyerCompanies } from "../shopify/admin/buyer-companies";

/** Whom a storefront customer buys for. */
export type BuyerOutcome =
  | { kind: "buyer"; companyId: string | null; companyLocationId: string | null }
  | { kind: "location_not_allowed" }
  | { kind: "company_ambiguous"; companyIds: string[] };

// A customer the Admin API said nothing about is not asked again for this long.
const LOOKUP_TTL_MS = 10 * 60 * 1000;

export interface BuyerContext {
  env: Cloudflare.Env;
  settings: Settings;
  db: Database;
  logger: Logger;
}

/**
 * The company and location `customerId` of `shop` buys for, from the buyer directory
 * (backfilled from the Admin API the first time a customer is unknown). A location the
 * customer asks for must belong to one of their own companies and, when their role
 * assignments are known, be one of their locations: a buyer never gets another
 * company's prices. A customer of no company is a plain buyer (list prices).
 */
export async function resolveBuyer(
  ctx: BuyerContext,
  shop: string,
  customerId: string,
  requestedLocationId: string | undefined,
): Promise<BuyerOutcome> {
  let contacts = await contactsOfCustomer(ctx.db, shop, customerId);
  if (contacts.length === 0 && (await backfill(ctx, shop, customerId))) {
    contacts = await contactsOfCustomer(ctx.db, shop, customerId);
  }
  if (contacts.length === 0) return { kind: "buyer", companyId: null, companyLocationId: null };

  const companyIds = [...new Set(contacts.map((contact) => contact.companyId))].sort();
  const known = await locationsOfCompanies(ctx.db, shop, companyIds);
  const allowed = new Map<string, string>();
  for (const contact of contacts) {
    const roles = contact.locationIds ? (JSON.parse(contact.locationIds) as unknown) : null;
    const ids = Array.isArray(roles)
      ? roles.filter((id): id is string => typeof id === "string")
      : [...known].filter(([, company]) => company === contact.companyId).map(([id]) => id);
    for (const id of ids) allowed.set(id, contact.companyId);
  }

  if (requestedLocationId !== undefined) {
    const companyId = allowed.get(requestedLocationId);
    if (!companyId) return { kind: "location_not_allowed" };
    return { kind: "buyer", companyId, companyLocationId: requestedLocationId };
  }
  const [only, ...others] = companyIds;
  if (!only || others.length > 0) return { kind: "company_ambiguous", companyIds };
  const locations = [...allowed].filter(([, company]) => company === only).map(([id]) => id);
  return {
    kind: "buyer",
    companyId: only,
    companyLocationId: locations.length === 1 ? (locations[0] ?? null) : null,
  };
}

/**
 * Fills the directory for one customer from the Admin API; true when anything was found.
 * A failure is logged and treated as "nothing found": the buyer then sees list prices,
 * never an error, and the next request (after the TTL) asks again.
 */
async function backfill(ctx: BuyerContext, shop: string, customerId: string): Promise<boolean> {
  const checkedAt = await lastLookup(ctx.db, shop, customerId);
  if (checkedAt !== undefined && Date.now() - checkedAt < LOOKUP_TTL_MS) return false;

  try {
    const profiles = await fetchBuyerCompanies(ctx, shop, customerId);
    for (const profile of profiles) {
      await upsertContact(ctx.db, { shop, customerId, ...profile });
      for (const locationId of profile.locationIds) {
        await upsertLocation(ctx.db, { shop, locationId, companyId: profile.companyId });
      }
    }
    await recordLookup(ctx.db, shop, customerId);
    return profiles.length > 0;
  } catch (error) {
    ctx.logger.warn("buyer backfill failed; pricing as a plain buyer", {
      shop,
      ...describeError(error),
    });
    return false;
  }
}
