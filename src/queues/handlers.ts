import { handleComplianceEvent } from "../compliance/handle";
import { handleCustomerEvent } from "../customers/handle";
import { handleInventoryEvent } from "../inventory/handle";
import { handleOrderEvent } from "../orders/handle";
import type { Domain } from "../shopify/topics";
import type { DomainHandler } from "./handler";

/**
 * The consumer of each domain queue. A domain without a handler here has no consumer
 * yet: webhook ingress acknowledges its topics as "not handled" rather than queueing
 * events nothing would process.
 */
const HANDLERS: Partial<Record<Domain, DomainHandler>> = {
  compliance: handleComplianceEvent,
  customers: handleCustomerEvent,
  inventory: handleInventoryEvent,
  orders: handleOrderEvent,
};

export function handlerFor(domain: Domain): DomainHandler | undefined {
  return HANDLERS[domain];
}

export function isDomainHandled(domain: Domain): boolean {
  return HANDLERS[domain] !== undefined;
}
