/**
 * Price books inside the hub. Every amount is an integer count of minor units of the
 * currency it belongs to (JPY 0 digits, USD 2, KWD 3); decimal strings exist only on the
 * wire (./wire.ts).
 */

/** A volume tier: from `minQuantity` units up, each unit costs `unitPrice`. */
export interface Tier {
  minQuantity: number;
  unitPrice: number;
}

/** Shopify's quantity rule: at least `minimum`, at most `maximum`, in steps of `increment`. */
export interface QuantityRule {
  minimum: number;
  maximum: number | null;
  increment: number;
}

export type PriceListKind = "list" | "contract";

export interface PriceList {
  id: string;
  kind: PriceListKind;
  currency: string;
  name: string | null;
}

/** A SKU's tiers (sorted by minQuantity, the first at 1) and rule in one price list. */
export interface PriceEntry {
  priceListId: string;
  sku: string;
  tiers: Tier[];
  quantityRule: QuantityRule | null;
}

export type AssignmentSubject = "company" | "location";

/** The one contract list of a company or of a company location. */
export interface Assignment {
  subjectType: AssignmentSubject;
  subjectId: string;
  priceListId: string;
}

/**
 * A promotion on list prices, active on [startsAt, endsAt). `skus`/`companyIds` null means
 * all. Exactly one of `fixedUnitPrice` (in `currency`) and `percentOffBasisPoints`
 * (1/100 of a percent; `currency` null means every currency) is set.
 */
export interface Promotion {
  id: string;
  currency: string | null;
  startsAt: number;
  endsAt: number;
  skus: string[] | null;
  companyIds: string[] | null;
  fixedUnitPrice: number | null;
  percentOffBasisPoints: number | null;
}

/** A whole price book of one shop, as the ERP's full pull delivers it. */
export interface PriceBook {
  priceLists: PriceList[];
  entries: PriceEntry[];
  assignments: Assignment[];
  promotions: Promotion[];
}
