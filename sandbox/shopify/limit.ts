/**
 * The stand-in's own cost limit for one shop, enforced the way Shopify does: a request
 * is throttled when its requested cost exceeds the points left; an answered request is
 * charged its actual cost; points restore continuously up to the bucket size.
 */
export interface StandInLimit {
  maximumAvailable: number;
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class ShopLimit {
  private available: number;
  private updatedAtMs: number;

  constructor(
    private readonly limit: StandInLimit,
    private readonly now: () => number,
  ) {
    this.available = limit.maximumAvailable;
    this.updatedAtMs = now();
  }

  /** Whether `requestedCost` points are there now. */
  allows(requestedCost: number): boolean {
    this.restore();
    return this.available >= requestedCost;
  }

  charge(actualCost: number): void {
    this.restore();
    this.available = Math.max(0, this.available - actualCost);
  }

  /** Empties the bucket, as a burst from another consumer would. */
  drain(): void {
    this.restore();
    this.available = 0;
  }

  status(): ThrottleStatus {
    this.restore();
    return {
      maximumAvailable: this.limit.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limit.restoreRate,
    };
  }

  private restore(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAtMs) / 1000;
    this.available = Math.min(
      this.limit.maximumAvailable,
      this.available + elapsedSeconds * this.limit.restoreRate,
    );
    this.updatedAtMs = now;
  }
}
