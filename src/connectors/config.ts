import type { PiiPolicy, Settings } from "../config/settings";
import { PermanentError } from "../queues/errors";

/** The downstream systems the hub exports orders to. */
export const ORDER_CONNECTORS = ["erp", "oms", "cdp"] as const;
export type OrderConnector = (typeof ORDER_CONNECTORS)[number];

export interface ConnectorConfig {
  name: OrderConnector;
  /** Base URL; the protocol's paths (docs/connectors.md) are appended. */
  baseUrl: string;
  signingSecret: string;
  pii: PiiPolicy;
  timeoutMs: number;
}

/**
 * A CDP receives an analytics stream, not a fulfilment document: it can match a returning
 * buyer by hashed email and needs nothing else personal.
 */
const CDP_PII: PiiPolicy = {
  email: "hashed",
  phone: "none",
  name: "none",
  address: "none",
  note: "none",
  ip: "none",
};

/**
 * How to reach a connector, or `undefined` when its URL is not configured (the hub then
 * does not route to it). A URL without its signing secret is a configuration mistake that
 * retrying cannot fix.
 */
export function connectorConfig(
  settings: Settings,
  name: OrderConnector,
): ConnectorConfig | undefined {
  const sources: Record<OrderConnector, [string | undefined, string | undefined, PiiPolicy]> = {
    erp: [settings.ERP_URL, settings.ERP_SIGNING_SECRET, settings.PII_POLICY_ERP],
    oms: [settings.OMS_URL, settings.OMS_SIGNING_SECRET, settings.PII_POLICY_OMS],
    cdp: [settings.CDP_URL, settings.CDP_SIGNING_SECRET, CDP_PII],
  };
  const [baseUrl, signingSecret, pii] = sources[name];
  if (!baseUrl) return undefined;
  if (!signingSecret) {
    throw new PermanentError(
      "connector_misconfigured",
      `${name.toUpperCase()}_URL is set but ${name.toUpperCase()}_SIGNING_SECRET is not`,
    );
  }
  return {
    name,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    signingSecret,
    pii,
    timeoutMs: settings.CONNECTOR_TIMEOUT_MS,
  };
}
