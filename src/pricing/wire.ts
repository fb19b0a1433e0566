import { z } from "zod";
import { MoneyFormatError, toMinorUnits } from "../domain/money";
import {
  BookIdSchema,
  CompanyIdSchema,
  CompanyLocationIdSchema,
  KnownCurrencySchema,
  SkuSchema,
} from "./identifiers";
import type { Assignment, PriceEntry, PriceList, Promotion, QuantityRule, Tier } from "./model";
import { parsePercent } from "./percent";

/**
 * Price books on the wire (ERP pull pages and on-demand changes, docs/connectors.md
 * "Price books"): amounts are decimal strings in the list's currency. The schemas here
 * check shape; {@link toEntry} and friends convert to minor units against the currency.
 */

const DecimalSchema = z.string().regex(/^\d+(?:\.\d+)?$/, "must be a decimal string like 12.50");
const QuantitySchema = z.number().int().positive().max(1_000_000);

export const WireTierSchema = z.object({ minQuantity: QuantitySchema, unitPrice: DecimalSchema });

export const WireQuantityRuleSchema = z
  .object({
    minimum: QuantitySchema.default(1),
    maximum: QuantitySchema.nullish(),
    increment: QuantitySchema.default(1),
  })
  .refine((rule) => rule.minimum % rule.increment === 0, {
    message: "minimum must be a multiple of increment",
  })
  .refine((rule) => rule.maximum == null || rule.maximum >= rule.minimum, {
    message: "maximum must be at least minimum",
  })
  .refine((rule) => rule.maximum == null || rule.maximum % rule.increment === 0, {
    message: "maximum must be a multiple of increment",
  });

// Shopify's quantity price breaks allow up to 250 per variant; the base tier is one more.
const MAX_TIERS = 251;

export const WireEntrySchema = z.object({
  priceListId: BookIdSchema,
  sku: SkuSchema,
  tiers: z
    .array(WireTierSchema)
    .min(1)
    .max(MAX_TIERS)
    .refine((tiers) => tiers.some((tier) => tier.minQuantity === 1), {
      message: "needs a base tier with minQuantity 1",
    })
    .refine((tiers) => new Set(tiers.map((tier) => tier.minQuantity)).size === tiers.length, {
      message: "minQuantity values must be unique",
    }),
  quantityRule: WireQuantityRuleSchema.nullish(),
});
export type WireEntry = z.infer<typeof WireEntrySchema>;

export const WirePriceListSchema = z.object({
  id: BookIdSchema,
  kind: z.enum(["list", "contract"]),
  currency: KnownCurrencySchema,
  name: z.string().max(200).nullish(),
});

export const WireAssignmentSchema = z.union([
  z.object({ priceListId: BookIdSchema, companyLocationId: CompanyLocationIdSchema }),
  z.object({ priceListId: BookIdSchema, companyId: CompanyIdSchema }),
]);
export type WireAssignment = z.infer<typeof WireAssignmentSchema>;

export const WirePromotionSchema = z
  .object({
    id: BookIdSchema,
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    currency: KnownCurrencySchema.nullish(),
    skus: z.union([z.literal("all"), z.array(SkuSchema).min(1)]),
    companies: z.union([z.literal("all"), z.array(CompanyIdSchema).min(1)]),
    fixedUnitPrice: DecimalSchema.optional(),
    percentOff: z.string().optional(),
  })
  .refine((promo) => Date.parse(promo.startsAt) < Date.parse(promo.endsAt), {
    message: "startsAt must be before endsAt",
    path: ["endsAt"],
  })
  .refine((promo) => (promo.fixedUnitPrice === undefined) !== (promo.percentOff === undefined), {
    message: "give exactly one of fixedUnitPrice and percentOff",
  })
  .refine((promo) => promo.fixedUnitPrice === undefined || promo.currency, {
    message: "a fixedUnitPrice promotion needs its currency",
    path: ["currency"],
  })
  .refine((promo) => promo.percentOff === undefined || parsePercent(promo.percentOff), {
    message: "percentOff must be a number in (0, 100] with at most two decimals",
    path: ["percentOff"],
  });
export type WirePromotion = z.infer<typeof WirePromotionSchema>;

/** An amount that cannot be held exactly in its currency, named by where it was found. */
export class BookFormatError extends Error {
  override readonly name = "BookFormatError";

  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

function minor(amount: string, currency: string, path: string): number {
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new BookFormatError(path, error.message);
    throw error;
  }
}

export function toPriceList(list: z.infer<typeof WirePriceListSchema>): PriceList {
  return { id: list.id, kind: list.kind, currency: list.currency, name: list.name ?? null };
}

/**
 * An entry in minor units of its list's currency, tiers sorted.
 * @throws {BookFormatError} when an amount has more decimals than the currency.
 */
export function toEntry(entry: WireEntry, currency: string, path: string): PriceEntry {
  const tiers: Tier[] = entry.tiers
    .map((tier, index) => ({
      minQuantity: tier.minQuantity,
      unitPrice: minor(tier.unitPrice, currency, `${path}.tiers.${index}.unitPrice`),
    }))
    .sort((a, b) => a.minQuantity - b.minQuantity);
  const rule: QuantityRule | null = entry.quantityRule
    ? {
        minimum: entry.quantityRule.minimum,
        maximum: entry.quantityRule.maximum ?? null,
        increment: entry.quantityRule.increment,
      }
    : null;
  return { priceListId: entry.priceListId, sku: entry.sku, tiers, quantityRule: rule };
}

export function toAssignment(assignment: WireAssignment): Assignment {
  return "companyLocationId" in assignment
    ? {
        subjectType: "location",
        subjectId: assignment.companyLocationId,
        priceListId: assignment.priceListId,
      }
    : {
        subjectType: "company",
        subjectId: assignment.companyId,
        priceListId: assignment.priceListId,
      };
}

/** @throws {BookFormatError} when the fixed price has more decimals than the currency. */
export function toPromotion(promo: WirePromotion, path: string): Promotion {
  const currency = promo.currency ?? null;
  return {
    id: promo.id,
    currency,
    startsAt: Date.parse(promo.startsAt),
    endsAt: Date.parse(promo.endsAt),
    skus: promo.skus === "all" ? null : [...new Set(promo.skus)].sort(),
    companyIds: promo.companies === "all" ? null : [...new Set(promo.companies)].sort(),
    fixedUnitPrice:
      promo.fixedUnitPrice !== undefined && currency
        ? minor(promo.fixedUnitPrice, currency, `${path}.fixedUnitPrice`)
        : null,
    percentOffBasisPoints:
      promo.percentOff !== undefined ? (parsePercent(promo.percentOff) ?? null) : null,
  };
}
