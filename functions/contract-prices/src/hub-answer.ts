/**
 * The part of the hub's `POST /v1/functions/discount-prices` answer the run target uses
 * (docs/api.md "Pricing"). Read by hand, not with a schema library: a Function's Wasm size
 * and instruction budget are small.
 */
export interface HubLine {
  id: string;
  sku: string;
  quantity: number;
  currency: string;
  unitPrice: string | null;
  source: "contract" | "list" | "promo" | "fallback" | null;
}

const SOURCES = new Set(["contract", "list", "promo", "fallback"]);

function readLine(value: unknown): HubLine | null {
  if (typeof value !== "object" || value === null) return null;
  const line = value as Record<string, unknown>;
  const { id, sku, quantity, currency, unitPrice, source } = line;
  if (typeof id !== "string" || typeof sku !== "string" || typeof currency !== "string") {
    return null;
  }
  if (typeof quantity !== "number" || !Number.isInteger(quantity)) return null;
  if (unitPrice !== null && typeof unitPrice !== "string") return null;
  if (source !== null && (typeof source !== "string" || !SOURCES.has(source))) return null;
  return { id, sku, quantity, currency, unitPrice, source: source as HubLine["source"] };
}

/**
 * The lines of a 200 answer; lines that do not have the documented shape are dropped.
 * Null for anything else (an error status, an unparseable body): no discount then.
 */
export function readHubAnswer(
  fetchResult: { status: number; jsonBody: unknown } | null,
): HubLine[] | null {
  if (fetchResult?.status !== 200) return null;
  const body = fetchResult.jsonBody;
  if (typeof body !== "object" || body === null) return null;
  const lines = (body as Record<string, unknown>).lines;
  if (!Array.isArray(lines)) return null;
  return lines.map(readLine).filter((line): line is HubLine => line !== null);
}
