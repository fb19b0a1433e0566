import { z } from "zod";

/**
 * Money on the wire is a decimal string ("1983.36"); inside the hub it is an integer count
 * of the currency's minor units (198336 cents). Floats never touch an amount: binary
 * fractions cannot hold 0.1, and a cent lost per line is a wrong invoice.
 */

const CURRENCY_CODE = /^[A-Z]{3}$/;

export const CurrencyCodeSchema = z.string().regex(CURRENCY_CODE, "must be an ISO 4217 code");

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** An amount or currency code that cannot be held exactly; retrying never fixes it. */
export class MoneyFormatError extends Error {
  override readonly name = "MoneyFormatError";
}

/**
 * Minor-unit digits of an ISO 4217 currency (JPY 0, USD 2, KWD 3), from the runtime's ICU data.
 * @throws {MoneyFormatError} when `currency` is not three upper-case letters.
 */
export function minorDigits(currency: string): number {
  // Intl throws a RangeError for malformed codes; a bad code in a payload is bad money, so it
  // must surface as MoneyFormatError (a permanent failure), not as an unexpected exception.
  if (!CURRENCY_CODE.test(currency)) {
    throw new MoneyFormatError(`"${currency}" is not an ISO 4217 currency code`);
  }
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  return digits ?? 2;
}

/**
 * Parses a decimal string into integer minor units of `currency`. Extra fractional digits
 * are accepted only when they are zeros ("24.500" USD), because rounding them away would
 * change the amount.
 * @throws {MoneyFormatError} for anything that is not an exact amount in that currency.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new MoneyFormatError(`"${amount}" is not a decimal amount`);
  const [, sign, whole = "0", fraction = ""] = match;
  const digits = minorDigits(currency);

  if (/[^0]/.test(fraction.slice(digits))) {
    throw new MoneyFormatError(`"${amount}" has more than ${digits} decimals for ${currency}`);
  }
  const minor = BigInt(whole + fraction.slice(0, digits).padEnd(digits, "0"));
  const value = Number(sign ? -minor : minor);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`"${amount}" is out of range`);
  return value;
}

/** Formats integer minor units as the decimal string of `currency` ("1983.36", "1500", "1.250"). */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError(`${minor} is not a whole amount`);
  const digits = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const text = Math.abs(minor)
    .toString()
    .padStart(digits + 1, "0");
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A decimal string normalised to the currency's digits ("24.5" USD → "24.50"). */
export function normaliseAmount(amount: string, currency: string): string {
  return fromMinorUnits(toMinorUnits(amount, currency), currency);
}

/** Sums decimal strings exactly, in minor units. */
export function sumAmounts(amounts: string[], currency: string): string {
  const total = amounts.reduce((sum, amount) => sum + toMinorUnits(amount, currency), 0);
  return fromMinorUnits(total, currency);
}
