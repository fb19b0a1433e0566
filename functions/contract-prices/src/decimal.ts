/**
 * Exact decimal subtraction for money strings ("10.0" − "7.50" = "2.50"). Shopify hands
 * amounts as Decimal strings and the hub answers decimal strings; floats would lose cents.
 */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

function parse(amount: string): Scaled | null {
  const match = DECIMAL.exec(amount);
  if (!match?.[1]) return null;
  const fraction = match[2] ?? "";
  return { units: BigInt(match[1] + fraction), scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/**
 * `minuend − subtrahend` as a decimal string when it is positive, else null (also for
 * anything that is not a non-negative decimal string).
 */
export function positiveDifference(minuend: string, subtrahend: string): string | null {
  const a = parse(minuend);
  const b = parse(subtrahend);
  if (!a || !b) return null;

  const scale = Math.max(a.scale, b.scale);
  const difference = rescale(a, scale) - rescale(b, scale);
  if (difference <= 0n) return null;

  const digits = difference.toString().padStart(scale + 1, "0");
  if (scale === 0) return digits;
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
