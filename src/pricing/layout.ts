import { z } from "zod";

/**
 * How a published price book lies in KV (docs/pricing.md "KV layout"). Every key but the
 * pointer is immutable: a publish writes new keys, then flips `{shop}:pointer`, so a
 * resolve that read one pointer reads one version, and any cache keyed by the key is
 * never stale.
 *
 * - `{shop}:pointer` — {@link Pointer}: version, generation, bucket counts, overlay.
 * - `{shop}:g{generation}:e:{currency}:{bucket}` — {@link EntryBucket}: the list and
 *   contract prices of the SKUs whose hash falls in the bucket.
 * - `{shop}:g{generation}:a:{bucket}` — {@link AssignmentBucket}: contract list by company
 *   (`C:{id}`) and by location (`L:{id}`).
 * - `{shop}:g{generation}:p:{currency}` — {@link PromotionSet} for that currency.
 * - An incremental publish rewrites only the buckets it touched, under the same name
 *   suffixed `:v{version}`, and lists them in the pointer's `overlay`.
 */

/** FNV-1a over the UTF-8 bytes: stable across isolates, cheap, well spread for SKUs. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export const pointerKey = (shop: string) => `${shop}:pointer`;
export const entryBucketName = (currency: string, bucket: number) => `e:${currency}:${bucket}`;
export const assignmentBucketName = (bucket: number) => `a:${bucket}`;
export const promotionSetName = (currency: string) => `p:${currency}`;
export const assignmentSlot = (subjectType: "company" | "location", id: string) =>
  `${subjectType === "company" ? "C" : "L"}:${id}`;

export const PointerSchema = z.object({
  version: z.number().int().positive(),
  generation: z.number().int().positive(),
  publishedAt: z.number().int(),
  /** Entry buckets per currency that has any price. */
  entryBuckets: z.record(z.string(), z.number().int().positive()),
  assignmentBuckets: z.number().int().positive(),
  /** Bucket name → version of its rewrite since the generation was written. */
  overlay: z.record(z.string(), z.number().int().positive()),
});
export type Pointer = z.infer<typeof PointerSchema>;

/** The KV key holding a bucket (or promotion set) in the pointer's version. */
export function physicalKey(shop: string, pointer: Pointer, name: string): string {
  const base = `${shop}:g${pointer.generation}:${name}`;
  const rewritten = pointer.overlay[name];
  return rewritten === undefined ? base : `${base}:v${rewritten}`;
}

/** Tiers as `[minQuantity, unitPriceMinor]` pairs, sorted, the first at 1. */
const TiersSchema = z.array(z.tuple([z.number().int().positive(), z.number().int().nonnegative()]));
const RuleSchema = z.object({
  minimum: z.number().int().positive(),
  maximum: z.number().int().positive().nullable(),
  increment: z.number().int().positive(),
});

export const PublishedEntrySchema = z.object({
  priceListId: z.string(),
  tiers: TiersSchema.min(1),
  rule: RuleSchema.nullable(),
});
export type PublishedEntry = z.infer<typeof PublishedEntrySchema>;

export const SkuPricesSchema = z.object({
  list: PublishedEntrySchema.optional(),
  contracts: z.record(z.string(), PublishedEntrySchema).optional(),
});
export type SkuPrices = z.infer<typeof SkuPricesSchema>;

export const EntryBucketSchema = z.record(z.string(), SkuPricesSchema);
export type EntryBucket = z.infer<typeof EntryBucketSchema>;

export const AssignmentBucketSchema = z.record(
  z.string(),
  z.object({ priceListId: z.string(), currency: z.string() }),
);
export type AssignmentBucket = z.infer<typeof AssignmentBucketSchema>;

export const PublishedPromotionSchema = z.object({
  id: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  skus: z.array(z.string()).nullable(),
  companyIds: z.array(z.string()).nullable(),
  fixedUnitPrice: z.number().int().nonnegative().nullable(),
  percentOffBasisPoints: z.number().int().positive().max(10_000).nullable(),
});
export type PublishedPromotion = z.infer<typeof PublishedPromotionSchema>;

export const PromotionSetSchema = z.array(PublishedPromotionSchema);
export type PromotionSet = z.infer<typeof PromotionSetSchema>;
