import { fromMinorUnits } from "../domain/money";
import type { PublishedEntry, PublishedPromotion, SkuPrices } from "./layout";
import { percentOff } from "./percent";

/**
 * The price resolution rules of docs/pricing.md, with nothing of the platform: the book is
 * handed in already read (./load.ts reads it from KV), so every rule is tested directly.
 */

export type PriceSource = "contract" | "list" | "promo" | "fallback";
export type LineError = "no_price" | "below_minimum" | "above_maximum" | "not_increment";

export interface CartLine {
  sku: string;
  quantity: number;
}

/** What the resolver needs of one published version, for one currency and one buyer. */
export interface BookView {
  /** The price-book version; 0 when nothing was ever published. */
  version: number;
  currency: string;
  /** The buyer's contract list in this currency (see {@link chooseContractList}). */
  contractListId: string | null;
  prices: ReadonlyMap<string, SkuPrices>;
  promotions: readonly PublishedPromotion[];
}

/**
 * A real-time contract price from the ERP for a SKU missing from the published contract
 * list: a price, a definite "no contract price", or no answer in time.
 */
export type ContractQuote =
  | { kind: "price"; entry: PublishedEntry }
  | { kind: "none" }
  | { kind: "unavailable" };

export interface ResolvedLine {
  sku: string;
  quantity: number;
  currency: string;
  unitPrice: string | null;
  lineTotal: string | null;
  source: PriceSource | null;
  priceListId: string | null;
  tierMinQuantity: number | null;
  promotionId?: string;
  version: number;
  errors: LineError[];
}

export interface ResolvedCart {
  currency: string;
  version: number;
  lines: ResolvedLine[];
  /** Sum of the priced lines' totals. */
  total: string;
  pricedLines: number;
}

/** A contract list assignment as published: the list and its currency. */
export interface AssignedList {
  priceListId: string;
  currency: string;
}

/**
 * Rule 1's list: the one assigned to the company location if it is in `currency`, else
 * the one assigned to the company if it is, else none.
 */
export function chooseContractList(
  location: AssignedList | undefined,
  company: AssignedList | undefined,
  currency: string,
): string | null {
  if (location?.currency === currency) return location.priceListId;
  if (company?.currency === currency) return company.priceListId;
  return null;
}

/** SKUs of a contract buyer's cart that the published contract list does not price. */
export function skusNeedingQuote(view: BookView, lines: readonly CartLine[]): string[] {
  const contract = view.contractListId;
  if (contract === null) return [];
  const missing = lines
    .map((line) => line.sku)
    .filter((sku) => view.prices.get(sku)?.contracts?.[contract] === undefined);
  return [...new Set(missing)];
}

/**
 * Prices every line of a cart at time `at` (epoch ms) for a buyer of `companyId`, exactly
 * per the resolution rules. Never throws for a missing price: such a line carries
 * `no_price` and the rest of the cart still resolves.
 */
export function resolveCart(
  view: BookView,
  request: { at: number; companyId: string | null; lines: readonly CartLine[] },
  quotes: ReadonlyMap<string, ContractQuote> = new Map(),
): ResolvedCart {
  const lines = request.lines.map((line) => resolveLine(view, request, line, quotes));
  let total = 0;
  let pricedLines = 0;
  for (const line of lines) {
    if (line.lineTotal === null) continue;
    total += toMinor(line, "lineTotal");
    pricedLines += 1;
  }
  return {
    currency: view.currency,
    version: view.version,
    lines: lines.map((line) => format(view.currency, line)),
    total: fromMinorUnits(total, view.currency),
    pricedLines,
  };
}

interface MinorLine extends Omit<ResolvedLine, "unitPrice" | "lineTotal"> {
  unitPrice: number | null;
  lineTotal: number | null;
}

function resolveLine(
  view: BookView,
  request: { at: number; companyId: string | null },
  line: CartLine,
  quotes: ReadonlyMap<string, ContractQuote>,
): MinorLine {
  const prices = view.prices.get(line.sku);
  const contract = view.contractListId ? prices?.contracts?.[view.contractListId] : undefined;
  if (contract) return priced(view, line, contract, "contract");

  const quote = view.contractListId ? quotes.get(line.sku) : undefined;
  if (quote?.kind === "price") return priced(view, line, quote.entry, "contract");

  const list = prices?.list;
  if (!list) return unpriced(view, line);
  if (quote?.kind === "unavailable") return priced(view, line, list, "fallback");

  const listed = priced(view, line, list, "list");
  const promo = bestPromotion(view.promotions, request, line.sku, listed.unitPrice ?? 0);
  if (!promo) return listed;
  return {
    ...listed,
    unitPrice: promo.unitPrice,
    lineTotal: promo.unitPrice * line.quantity,
    source: "promo",
    promotionId: promo.id,
  };
}

function priced(
  view: BookView,
  line: CartLine,
  entry: PublishedEntry,
  source: PriceSource,
): MinorLine {
  const [tierMinQuantity, unitPrice] = tierFor(entry, line.quantity);
  return {
    sku: line.sku,
    quantity: line.quantity,
    currency: view.currency,
    unitPrice,
    lineTotal: unitPrice * line.quantity,
    source,
    priceListId: entry.priceListId,
    tierMinQuantity,
    version: view.version,
    errors: ruleViolations(entry, line.quantity),
  };
}

function unpriced(view: BookView, line: CartLine): MinorLine {
  return {
    sku: line.sku,
    quantity: line.quantity,
    currency: view.currency,
    unitPrice: null,
    lineTotal: null,
    source: null,
    priceListId: null,
    tierMinQuantity: null,
    version: view.version,
    errors: ["no_price"],
  };
}

/** The tier with the largest minQuantity ≤ quantity (the base tier at 1 always qualifies). */
function tierFor(entry: PublishedEntry, quantity: number): [number, number] {
  let chosen = entry.tiers[0] ?? [1, 0];
  for (const tier of entry.tiers) {
    if (tier[0] <= quantity && tier[0] >= chosen[0]) chosen = tier;
  }
  return chosen;
}

function ruleViolations(entry: PublishedEntry, quantity: number): LineError[] {
  const rule = entry.rule;
  if (!rule) return [];
  const errors: LineError[] = [];
  if (quantity < rule.minimum) errors.push("below_minimum");
  if (rule.maximum !== null && quantity > rule.maximum) errors.push("above_maximum");
  if (quantity % rule.increment !== 0) errors.push("not_increment");
  return errors;
}

/**
 * Rule 3: the lowest candidate among promotions active at `at` that cover the SKU and the
 * buyer, if it is below the list unit price. Ties go to the smallest promotion id, so the
 * answer never depends on the order promotions were stored in.
 */
function bestPromotion(
  promotions: readonly PublishedPromotion[],
  request: { at: number; companyId: string | null },
  sku: string,
  listUnitPrice: number,
): { id: string; unitPrice: number } | undefined {
  let best: { id: string; unitPrice: number } | undefined;
  for (const promo of promotions) {
    if (!(promo.startsAt <= request.at && request.at < promo.endsAt)) continue;
    if (promo.skus !== null && !promo.skus.includes(sku)) continue;
    if (promo.companyIds !== null) {
      if (request.companyId === null || !promo.companyIds.includes(request.companyId)) continue;
    }
    const candidate =
      promo.fixedUnitPrice ?? percentOff(listUnitPrice, promo.percentOffBasisPoints ?? 0);
    if (
      !best ||
      candidate < best.unitPrice ||
      (candidate === best.unitPrice && promo.id < best.id)
    ) {
      best = { id: promo.id, unitPrice: candidate };
    }
  }
  return best && best.unitPrice < listUnitPrice ? best : undefined;
}

function format(currency: string, line: MinorLine): ResolvedLine {
  return {
    ...line,
    unitPrice: line.unitPrice === null ? null : fromMinorUnits(line.unitPrice, currency),
    lineTotal: line.lineTotal === null ? null : fromMinorUnits(line.lineTotal, currency),
  };
}

function toMinor(line: MinorLine, field: "lineTotal"): number {
  return line[field] ?? 0;
}
