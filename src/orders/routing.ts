import type { Settings } from "../config/settings";
import type { OrderConnector } from "../connectors/config";

/** What a connector is asked to do with an order. */
export const ORDER_EFFECTS = ["create", "update", "cancel", "payment", "refund"] as const;
export type OrderEffect = (typeof ORDER_EFFECTS)[number];

// A Map, not an object literal: a topic such as "toString" must not find Object.prototype.
const TOPIC_EFFECTS = new Map<string, OrderEffect>([
  ["orders/create", "create"],
  ["orders/updated", "update"],
  ["orders/cancelled", "cancel"],
  ["orders/paid", "payment"],
  ["refunds/create", "refund"],
]);

/** The effect a webhook topic asks for; `undefined` for order topics the export ignores. */
export function effectOfTopic(topic: string): OrderEffect | undefined {
  return TOPIC_EFFECTS.get(topic);
}

export interface OrderRoute {
  connector: OrderConnector;
  /** Effects this connector receives; others are not sent to it. */
  effects: readonly OrderEffect[];
  /** This connector is sent nothing until the named one has accepted the order. */
  after?: OrderConnector;
}

/**
 * Who receives what, per reference architecture (shared/DESIGN.md §1), in the order the
 * routes run:
 * - storefront-centric: the ERP gets orders and financials, the OMS gets fulfilment work;
 * - oms-led: the OMS gets orders (allocation, fulfilment, returns); the ERP gets the
 *   financial record only after the OMS has accepted the order;
 * - composable: as oms-led, plus every event to the CDP stream.
 */
export function orderRoutes(architecture: Settings["ORDER_ARCHITECTURE"]): OrderRoute[] {
  switch (architecture) {
    case "storefront-centric":
      return [
        { connector: "erp", effects: ["create", "update", "cancel", "payment", "refund"] },
        { connector: "oms", effects: ["create", "update", "cancel"] },
      ];
    case "oms-led":
      return omsLed();
    case "composable":
      return [...omsLed(), { connector: "cdp", effects: ORDER_EFFECTS }];
  }
}

function omsLed(): OrderRoute[] {
  return [
    { connector: "oms", effects: ["create", "update", "cancel", "refund"] },
    { connector: "erp", effects: ["create", "cancel", "payment", "refund"], after: "oms" },
  ];
}

/**
 * The deterministic key of one effect on one order for one connector: the same on every
 * retry and replay, different for each new revision. `revision` is the order's
 * `updated_at` in epoch ms for updates, the refund id for refunds, and "0" for effects
 * that happen once per order (create, cancel, payment).
 */
export function idempotencyKey(
  shop: string,
  orderId: string,
  revision: string,
  effect: OrderEffect,
): string {
  return `${shop}:${orderId}:${revision}:${effect}`;
}
