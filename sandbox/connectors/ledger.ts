import type { FaultMode } from "./faults";
import type { Effect, OrderEvent } from "./order-event";

// External references start here so they look like a real system's numbering.
const FIRST_REFERENCE_NUMBER = 1001;

/** An event the system committed, as `GET /_control/orders` shows it. */
export interface StoredEvent {
  idempotencyKey: string;
  effect: Effect;
  occurredAt: string | null;
  receivedAt: string;
  /** `pending`: answered 202; the reference is owed through the hub's ack endpoint. */
  status: "accepted" | "pending";
  order?: Record<string, unknown>;
  refund?: Record<string, unknown>;
}

/** One order as the system knows it: a reference and every event that touched it. */
export interface StoredOrder {
  shop: string;
  orderId: string;
  externalRef: string;
  lastEffect: Effect;
  counts: { events: number; duplicates: number };
  events: StoredEvent[];
}

/** Every request that reached `POST /v1/order-events`, whatever it was answered. */
export interface CallRecord {
  at: string;
  idempotencyKey: string | null;
  effect: Effect | null;
  shop: string | null;
  orderId: string | null;
  traceparent: string | null;
  /** The injected fault that shaped the answer, if one did. */
  fault: FaultMode | null;
  status: number;
}

/**
 * One system's memory: orders by (shop, order id), which idempotency key filed which
 * order, and the call log. Lives in the isolate's memory, so it is gone when the isolate
 * is; the sandbox is for local runs and tests only.
 */
export class ConnectorLedger {
  #next = FIRST_REFERENCE_NUMBER;
  #orders = new Map<string, StoredOrder>();
  #keys = new Map<string, StoredOrder>();
  #calls: CallRecord[] = [];

  /** @param refPrefix e.g. "SO" for an ERP's sales orders, "FO" for an OMS's fulfilment orders. */
  constructor(readonly refPrefix: string) {}

  /** The order an idempotency key already filed, counting the repeat, or undefined. */
  repeat(idempotencyKey: string): StoredOrder | undefined {
    const order = this.#keys.get(idempotencyKey);
    if (order) order.counts.duplicates += 1;
    return order;
  }

  /**
   * Files an event under its order, creating the order (and its reference) on first
   * sight of (shop, order id) whatever the effect; later events reuse the reference.
   * Callers check {@link repeat} first: a key is filed once.
   */
  commit(event: OrderEvent, status: StoredEvent["status"]): StoredOrder {
    const orderKey = `${event.shop}/${event.orderId}`;
    const order = this.#orders.get(orderKey) ?? this.#open(orderKey, event);

    order.events.push({
      idempotencyKey: event.idempotencyKey,
      effect: event.effect,
      occurredAt: event.occurredAt ?? null,
      receivedAt: new Date().toISOString(),
      status,
      ...(event.order ? { order: event.order } : {}),
      ...(event.refund ? { refund: event.refund } : {}),
    });
    order.counts.events += 1;
    order.lastEffect = event.effect;
    this.#keys.set(event.idempotencyKey, order);
    return order;
  }

  recordCall(call: CallRecord): void {
    this.#calls.push(call);
  }

  orders(): StoredOrder[] {
    return structuredClone([...this.#orders.values()]);
  }

  calls(): CallRecord[] {
    return structuredClone(this.#calls);
  }

  reset(): void {
    this.#next = FIRST_REFERENCE_NUMBER;
    this.#orders.clear();
    this.#keys.clear();
    this.#calls = [];
  }

  #open(orderKey: string, event: OrderEvent): StoredOrder {
    const order: StoredOrder = {
      shop: event.shop,
      orderId: event.orderId,
      externalRef: `${this.refPrefix}-${this.#next}`,
      lastEffect: event.effect,
      counts: { events: 0, duplicates: 0 },
      events: [],
    };
    this.#next += 1;
    this.#orders.set(orderKey, order);
    return order;
  }
}
