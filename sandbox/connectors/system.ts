import { Webhook } from "standardwebhooks";
import { FaultQueue } from "./faults";
import { ConnectorLedger } from "./ledger";
import type { Target } from "./order-event";
import { PriceBookStore } from "./price-books";

/** One simulated downstream system: how it verifies callers, what it stores, how it fails. */
export interface ConnectorSystem {
  target: Target;
  webhook: Webhook;
  ledger: ConnectorLedger;
  faults: FaultQueue;
  /** Price books and contract quotes (served by the ERP only). */
  prices: PriceBookStore;
}

/** The ERP and the OMS the sandbox plays, by target. */
export type ConnectorSystems = Record<Target, ConnectorSystem>;

/** The Standard Webhooks secrets (`whsec_<base64>`) the hub signs its calls with. */
export interface SandboxSecrets {
  erpSecret: string;
  omsSecret: string;
}

/**
 * Builds both systems with empty memory. Throws when a secret is not valid base64, as
 * `standardwebhooks` does, so a misconfigured sandbox fails at start, not on first call.
 */
export function createConnectorSystems(secrets: SandboxSecrets): ConnectorSystems {
  return {
    erp: {
      target: "erp",
      webhook: new Webhook(secrets.erpSecret),
      ledger: new ConnectorLedger("SO"),
      faults: new FaultQueue(),
      prices: new PriceBookStore(),
    },
    oms: {
      target: "oms",
      webhook: new Webhook(secrets.omsSecret),
      ledger: new ConnectorLedger("FO"),
      faults: new FaultQueue(),
      prices: new PriceBookStore(),
    },
  };
}

/** Forgets every order, call and queued fault of both systems; references restart. */
export function resetConnectorSystems(systems: ConnectorSystems): void {
  for (const system of Object.values(systems)) {
    system.ledger.reset();
    system.faults.clear();
    system.prices.reset();
  }
}
