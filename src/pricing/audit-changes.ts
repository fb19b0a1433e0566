import type { AuditChange } from "../audit/append";
import { fromMinorUnits } from "../domain/money";
import type { BookChange } from "./diff";
import type { PriceEntry, Promotion } from "./model";

/**
 * The audit entries of a change set: one per changed row, values shown as on the wire
 * (decimal strings in the list's currency) so a person can read them.
 */
export function auditEntries(
  shop: string,
  actor: string,
  changes: readonly BookChange[],
  currencyOf: (priceListId: string) => string | undefined,
): AuditChange[] {
  return changes.map((change) => auditEntry(shop, actor, change, currencyOf));
}

function auditEntry(
  shop: string,
  actor: string,
  change: BookChange,
  currencyOf: (priceListId: string) => string | undefined,
): AuditChange {
  const verb = change.before === null ? "created" : change.after === null ? "deleted" : "updated";
  switch (change.kind) {
    case "priceList": {
      const id = (change.after ?? change.before)?.id ?? change.key;
      return entry(actor, `price_list.${verb}`, `${shop}/price-lists/${id}`, change);
    }
    case "entry": {
      const row = change.after ?? change.before;
      const show = (value: PriceEntry | null) => value && entryView(value, currencyOf);
      return {
        actor,
        action: `price_entry.${verb}`,
        subject: `${shop}/price-lists/${row?.priceListId}/skus/${row?.sku}`,
        before: show(change.before),
        after: show(change.after),
      };
    }
    case "assignment": {
      const row = change.after ?? change.before;
      const subject =
        row?.subjectType === "location"
          ? `${shop}/company-locations/${row.subjectId}`
          : `${shop}/companies/${row?.subjectId}`;
      return entry(actor, `assignment.${verb}`, subject, change);
    }
    case "promotion": {
      const id = (change.after ?? change.before)?.id ?? change.key;
      const show = (value: Promotion | null) => value && promotionView(value);
      return {
        actor,
        action: `promotion.${verb}`,
        subject: `${shop}/promotions/${id}`,
        before: show(change.before),
        after: show(change.after),
      };
    }
  }
}

function entry(
  actor: string,
  action: string,
  subject: string,
  change: { before: unknown; after: unknown },
): AuditChange {
  return { actor, action, subject, before: change.before, after: change.after };
}

function entryView(entry: PriceEntry, currencyOf: (id: string) => string | undefined) {
  const currency = currencyOf(entry.priceListId);
  const money = (minor: number) => (currency ? fromMinorUnits(minor, currency) : String(minor));
  return {
    currency: currency ?? null,
    tiers: entry.tiers.map((tier) => ({
      minQuantity: tier.minQuantity,
      unitPrice: money(tier.unitPrice),
    })),
    quantityRule: entry.quantityRule,
  };
}

function promotionView(promo: Promotion) {
  return {
    currency: promo.currency,
    startsAt: new Date(promo.startsAt).toISOString(),
    endsAt: new Date(promo.endsAt).toISOString(),
    skus: promo.skus ?? "all",
    companies: promo.companyIds ?? "all",
    fixedUnitPrice:
      promo.fixedUnitPrice !== null && promo.currency
        ? fromMinorUnits(promo.fixedUnitPrice, promo.currency)
        : null,
    percentOff:
      promo.percentOffBasisPoints === null ? null : (promo.percentOffBasisPoints / 100).toString(),
  };
}
