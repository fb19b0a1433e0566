import { fromMinorUnits } from "../../domain/money";
import { MAX_PRICING_INPUTS, type QuantityPricingInput } from "../../shopify/admin/price-lists";
import type { PriceEntry } from "../model";

/**
 * Turns the changed entries of a contract list into `quantityPricingByVariantUpdate`
 * inputs: the base tier as the variant's fixed price, the other tiers as quantity price
 * breaks, the quantity rule as a quantity rule. Pure; ./push.ts sends the chunks.
 */

/** What Shopify holds for a SKU from an earlier push: what a new push must delete first. */
export interface Pushed {
  pushedHash: string | null;
  hasBreaks: boolean;
  hasRule: boolean;
}

export type PushItem =
  | {
      kind: "upsert";
      sku: string;
      variantId: string;
      entry: PriceEntry;
      hash: string;
      previous: Pushed | null;
    }
  | { kind: "remove"; sku: string; variantId: string; previous: Pushed };

/** One mutation's input and, for each input array position, the item it came from. */
export interface Chunk {
  items: PushItem[];
  input: QuantityPricingInput;
  owners: Record<keyof QuantityPricingInput, number[]>;
}

/**
 * Hash of what a push of `entry` sends in `currency`: equal hashes mean Shopify already
 * holds this entry, so it is not sent again.
 */
export async function entryHash(entry: PriceEntry, currency: string): Promise<string> {
  const text = JSON.stringify([currency, entry.tiers, entry.quantityRule]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

function emptyChunk(): Chunk {
  const input: QuantityPricingInput = {
    pricesToAdd: [],
    pricesToDeleteByVariantId: [],
    quantityPriceBreaksToAdd: [],
    quantityPriceBreaksToDelete: [],
    quantityPriceBreaksToDeleteByVariantId: [],
    quantityRulesToAdd: [],
    quantityRulesToDeleteByVariantId: [],
  };
  const owners: Chunk["owners"] = {
    pricesToAdd: [],
    pricesToDeleteByVariantId: [],
    quantityPriceBreaksToAdd: [],
    quantityPriceBreaksToDelete: [],
    quantityPriceBreaksToDeleteByVariantId: [],
    quantityRulesToAdd: [],
    quantityRulesToDeleteByVariantId: [],
  };
  return { items: [], input, owners };
}

/** The input rows one item adds, by input array. */
function rowsOf(item: PushItem, currency: string): Partial<QuantityPricingInput> {
  const { variantId } = item;
  if (item.kind === "remove") {
    return {
      pricesToDeleteByVariantId: [variantId],
      quantityPriceBreaksToDeleteByVariantId: item.previous.hasBreaks ? [variantId] : [],
      quantityRulesToDeleteByVariantId: item.previous.hasRule ? [variantId] : [],
    };
  }
  const previous = item.previous;
  const money = (minor: number) => ({
    amount: fromMinorUnits(minor, currency),
    currencyCode: currency,
  });
  const [base, ...breaks] = item.entry.tiers;
  const rule = item.entry.quantityRule;
  return {
    pricesToAdd: base ? [{ variantId, price: money(base.unitPrice) }] : [],
    // Shopify deletes before it adds: old breaks go, the current ones come back.
    quantityPriceBreaksToDeleteByVariantId: previous?.hasBreaks ? [variantId] : [],
    quantityPriceBreaksToAdd: breaks.map((tier) => ({
      variantId,
      minimumQuantity: tier.minQuantity,
      price: money(tier.unitPrice),
    })),
    quantityRulesToAdd: rule ? [{ variantId, ...rule }] : [],
    quantityRulesToDeleteByVariantId: !rule && previous?.hasRule ? [variantId] : [],
  };
}

function fits(chunk: Chunk, rows: Partial<QuantityPricingInput>): boolean {
  return Object.entries(rows).every(
    ([key, added]) =>
      chunk.input[key as keyof QuantityPricingInput].length + added.length <= MAX_PRICING_INPUTS,
  );
}

function append(chunk: Chunk, item: PushItem, rows: Partial<QuantityPricingInput>): void {
  const index = chunk.items.push(item) - 1;
  for (const [key, added] of Object.entries(rows)) {
    const name = key as keyof QuantityPricingInput;
    (chunk.input[name] as unknown[]).push(...added);
    chunk.owners[name].push(...added.map(() => index));
  }
}

/**
 * Packs items into as few mutations as Shopify's 250-per-array limit allows, in order.
 * An entry has at most 251 tiers (250 breaks), so every item fits a chunk of its own.
 */
export function planChunks(items: readonly PushItem[], currency: string): Chunk[] {
  const chunks: Chunk[] = [];
  let current = emptyChunk();
  for (const item of items) {
    const rows = rowsOf(item, currency);
    if (!fits(current, rows)) {
      chunks.push(current);
      current = emptyChunk();
    }
    append(current, item, rows);
  }
  if (current.items.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The item a user error's `field` (`["input", "<array>", "<index>", …]`) points at, or
 * undefined when it names no input row.
 */
export function itemOfError(chunk: Chunk, field: readonly string[] | null | undefined) {
  const [root, array, position] = field ?? [];
  if (root !== "input" || !array || !(array in chunk.owners)) return undefined;
  const index = chunk.owners[array as keyof QuantityPricingInput][Number(position)];
  return index === undefined ? undefined : chunk.items[index];
}
