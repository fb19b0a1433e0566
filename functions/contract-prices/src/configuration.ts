import type { ConfigurationMetafield } from "./types";

/**
 * The discount's configuration: JSON in the app-owned metafield
 * `$app:contract-prices.configuration` on the discount node, set when the app creates the
 * discount (`discountAutomaticAppCreate`, README.md). Functions have no secrets store; an
 * app-owned metafield is readable only by this app and its Functions.
 */
export interface Configuration {
  /** The hub's origin, `https://…`, without a trailing slash. */
  hubUrl: string;
  /** The shop's myshopify domain: a Function's input does not carry it. */
  shop: string;
  /** PRICING_FUNCTION_SECRET, sent as `Authorization: Bearer …`. */
  secret: string;
  /** Shopify allows 100–2,000 ms; the hub answers in milliseconds from KV. */
  readTimeoutMs: number;
  /** Shown on the cart beside each discounted line. */
  message: string;
}

// Shopify's bounds for HttpRequestPolicy.readTimeoutMs on network access.
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 2000;
const DEFAULT_MESSAGE = "Contract price";
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * Reads the configuration, or null when it is missing or unusable: the Function then asks
 * nothing and discounts nothing, rather than failing the checkout.
 */
export function readConfiguration(metafield: ConfigurationMetafield | null): Configuration | null {
  const raw = metafield?.jsonValue;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;

  const hubUrl = text(record, "hubUrl")?.replace(/\/+$/, "");
  const shop = text(record, "shop");
  const secret = text(record, "secret");
  // Shopify sends network-access requests over HTTPS only.
  if (!hubUrl?.startsWith("https://") || !shop || !SHOP_DOMAIN.test(shop) || !secret) return null;

  const timeout = record.readTimeoutMs;
  const readTimeoutMs =
    typeof timeout === "number" && Number.isInteger(timeout)
      ? Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, timeout))
      : MAX_TIMEOUT_MS;
  return {
    hubUrl,
    shop,
    secret,
    readTimeoutMs,
    message: text(record, "message") ?? DEFAULT_MESSAGE,
  };
}
