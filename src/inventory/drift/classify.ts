/**
 * How the nightly sanity check judges one SKU at one location, free of the platform:
 * Shopify's `available` against the hub's ATS, given what the hub last pushed.
 */

/** One SKU-location pair as read from the hub and from Shopify. */
export interface PairReading {
  sku: string;
  /** The OMS location code. */
  locationId: string;
  /** The hub's ATS. */
  hub: number;
  /** What Shopify last confirmed to the hub; null before the first push. */
  lastConfirmed: number | null;
  omsSnapshot: number | null;
  /** Shopify's `available`; null when the location does not stock the item. */
  shopify: number | null;
}

export type DriftAction = "corrected" | "push_owed" | "alerted";

/** A pair that disagreed, and what the check does about it. */
export interface DriftFinding extends PairReading {
  /** Shopify − hub, with Shopify's null counted as 0. */
  drift: number;
  action: DriftAction;
}

/**
 * Null when Shopify shows the hub's ATS. Otherwise:
 * - `push_owed` when Shopify still shows the hub's last push: the hub moved since and its
 *   push is on the way (or was lost); pushing now is what the hub owes anyway.
 * - `corrected` when the difference is at most `tolerance` units: the hub's ATS is pushed.
 * - `alerted` above it, and when the location does not stock the item (a push cannot
 *   create a level): a person looks before anything is overwritten.
 */
export function classifyDrift(reading: PairReading, tolerance: number): DriftFinding | null {
  const drift = (reading.shopify ?? 0) - reading.hub;
  if (drift === 0) return null;

  const action = actionFor(reading, drift, tolerance);
  return { ...reading, drift, action };
}

function actionFor(reading: PairReading, drift: number, tolerance: number): DriftAction {
  if (reading.shopify === null) return "alerted";
  if (reading.lastConfirmed !== null && reading.shopify === reading.lastConfirmed) {
    return "push_owed";
  }
  return Math.abs(drift) <= tolerance ? "corrected" : "alerted";
}
