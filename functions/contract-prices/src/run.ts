import { readConfiguration } from "./configuration";
import { positiveDifference } from "./decimal";
import { readHubAnswer } from "./hub-answer";
import type { ProductDiscountCandidate, RunInput, RunResult } from "./types";

const NO_DISCOUNT: RunResult = { operations: [] };

/**
 * `cart.lines.discounts.generate.run`: for every line the hub priced from a contract
 * list below what the line costs now, a fixed amount off each unit (current unit price −
 * contract unit price), so the line ends at the contract price. Lines priced from the
 * list, a promotion or the ERP fallback are left alone, as are lines whose quantity or
 * currency differ from what the hub priced. Any failure of the fetch gives no discount.
 */
export function cartLinesDiscountsGenerateRun(input: RunInput): RunResult {
  const configuration = readConfiguration(input.discount.configuration);
  const priced = readHubAnswer(input.fetchResult);
  if (!configuration || !priced || !input.discount.discountClasses.includes("PRODUCT")) {
    return NO_DISCOUNT;
  }

  const cartLines = new Map(input.cart.lines.map((line) => [line.id, line]));
  const candidates: ProductDiscountCandidate[] = [];
  for (const line of priced) {
    const cartLine = cartLines.get(line.id);
    if (!cartLine || line.source !== "contract" || line.unitPrice === null) continue;
    const current = cartLine.cost.amountPerQuantity;
    if (line.quantity !== cartLine.quantity || line.currency !== current.currencyCode) continue;

    const off = positiveDifference(current.amount, line.unitPrice);
    if (off === null) continue;
    candidates.push({
      targets: [{ cartLine: { id: cartLine.id } }],
      value: { fixedAmount: { amount: off, appliesToEachItem: true } },
      message: configuration.message,
    });
  }

  if (candidates.length === 0) return NO_DISCOUNT;
  // ALL: every line keeps its own candidate (FIRST would apply only one of them).
  return { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates } }] };
}
