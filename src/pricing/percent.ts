const BASIS_POINTS = 10_000n;

/**
 * `unitPrice × (100 − percent) / 100` in minor units, rounded half away from zero, with
 * the percent given in basis points (12.5 % = 1250). Exact: computed in BigInt, so no
 * binary fraction ever touches the amount.
 */
export function percentOff(unitPrice: number, basisPoints: number): number {
  const numerator = BigInt(unitPrice) * (BASIS_POINTS - BigInt(basisPoints));
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + BASIS_POINTS) / (BASIS_POINTS * 2n);
  return Number(negative ? -rounded : rounded);
}

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/**
 * Parses a percent string ("15", "12.5", "0.25") into basis points, or `undefined` when it
 * is not a number with at most two decimals in (0, 100].
 */
export function parsePercent(text: string): number | undefined {
  const match = PERCENT.exec(text);
  if (!match) return undefined;
  const [, whole = "0", fraction = ""] = match;
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return basisPoints > 0 && basisPoints <= 10_000 ? basisPoints : undefined;
}
