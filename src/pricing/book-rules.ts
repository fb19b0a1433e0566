/** Why a price book or a change to one breaks the book's rules (docs/pricing.md). */
export type BookRuleCode =
  | "unknown_price_list"
  | "not_a_contract_list"
  | "duplicate_list_price_list"
  | "price_list_currency_change"
  | "duplicate_id"
  | "invalid_amount";

/**
 * A price book (or change) that parses but breaks a rule. The ERP must fix the data;
 * retrying the same data fails the same way. `path` names the offending element.
 */
export class BookRuleError extends Error {
  override readonly name = "BookRuleError";

  constructor(
    readonly code: BookRuleCode,
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
