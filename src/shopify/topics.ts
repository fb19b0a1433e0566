/** The queue (and consumer) each Shopify webhook topic the hub handles belongs to. */
export const DOMAINS = ["orders", "inventory", "catalog", "customers", "compliance"] as const;
export type Domain = (typeof DOMAINS)[number];

const TOPIC_DOMAINS = new Map<string, Domain>(
  Object.entries({
    "orders/create": "orders",
    "orders/updated": "orders",
    "orders/edited": "orders",
    "orders/cancelled": "orders",
    "orders/paid": "orders",
    "orders/fulfilled": "orders",
    "refunds/create": "orders",
    "fulfillments/create": "inventory",
    "fulfillments/update": "inventory",
    "inventory_levels/update": "inventory",
    "inventory_items/update": "inventory",
    "products/create": "catalog",
    "products/update": "catalog",
    "products/delete": "catalog",
    "customers/create": "customers",
    "customers/update": "customers",
    "customers/delete": "customers",
    "companies/create": "customers",
    "companies/update": "customers",
    "companies/delete": "customers",
    "company_locations/create": "customers",
    "company_locations/update": "customers",
    "company_locations/delete": "customers",
    "company_contacts/create": "customers",
    "company_contacts/update": "customers",
    "company_contacts/delete": "customers",
    "customers/data_request": "compliance",
    "customers/redact": "compliance",
    "shop/redact": "compliance",
    "app/uninstalled": "compliance",
  } satisfies Record<string, Domain>),
);

/** Topics Shopify's mandatory compliance rules apply to (401 on a bad HMAC, 30-day SLA). */
export const COMPLIANCE_TOPICS = new Set([
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

/**
 * Order events also move stock: reservations are made, released and committed from the
 * same webhooks the export reads, on the inventory queue so an ERP outage never holds
 * stock back (and a stock problem never holds an export back).
 */
const ALSO_TO: ReadonlyMap<string, readonly Domain[]> = new Map([
  ["orders/create", ["inventory"]],
  ["orders/updated", ["inventory"]],
  ["orders/cancelled", ["inventory"]],
  ["orders/fulfilled", ["inventory"]],
]);

/** The topic's home domain (whose consumer owns it), or `undefined` for unknown topics. */
export function domainOfTopic(topic: string): Domain | undefined {
  return TOPIC_DOMAINS.get(topic);
}

/** Every domain queue a topic's events go to, its home domain first. */
export function domainsOfTopic(topic: string): Domain[] {
  const home = TOPIC_DOMAINS.get(topic);
  return home ? [home, ...(ALSO_TO.get(topic) ?? [])] : [];
}

export function handledTopics(): string[] {
  return [...TOPIC_DOMAINS.keys()];
}

/**
 * The order and customer a payload is about, so stored copies can be found again when a
 * customer or an order has to be redacted. Ids are Shopify's numeric ids as strings.
 */
export function payloadSubjects(
  topic: string,
  payload: unknown,
): { orderId?: string; customerId?: string } {
  if (!isRecord(payload)) return {};
  const domain = domainOfTopic(topic);

  if (domain === "orders") {
    const orderId = topic.startsWith("orders/") ? payload.id : payload.order_id;
    const customer = isRecord(payload.customer) ? payload.customer.id : undefined;
    return { orderId: idString(orderId), customerId: idString(customer) };
  }
  if (topic.startsWith("customers/") && domain === "customers")
    return { customerId: idString(payload.id) };
  if (domain === "compliance" && isRecord(payload.customer)) {
    return { customerId: idString(payload.customer.id) };
  }
  return {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function idString(value: unknown): string | undefined {
  return typeof value === "number" || (typeof value === "string" && value !== "")
    ? String(value)
    : undefined;
}
