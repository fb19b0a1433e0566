import { z } from "zod";
import { ShopLimit, type StandInLimit } from "./limit";
import { payloadName, payloadTags, SeedOrderPayloadSchema } from "./order-details";

const MoneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
});

const SeedOrderSchema = z.object({
  legacyResourceId: z.string().regex(/^\d+$/),
  name: z.string().optional(),
  updatedAt: z.iso.datetime({ offset: true }),
  tags: z.array(z.string()).default([]),
  /**
   * The order in the REST shape of its webhook (e.g. samples/webhooks/orders-create-*.json),
   * which OrderForExport answers from; its tags join `tags` and its name is the default
   * `name`. Without it the order reads as an empty USD order.
   */
  payload: SeedOrderPayloadSchema.optional(),
});

const SeedBalanceTransactionSchema = z.object({
  legacyResourceId: z.string().regex(/^\d+$/),
  type: z.string().default("CHARGE"),
  transactionDate: z.iso.datetime({ offset: true }),
  amount: MoneySchema,
  fee: MoneySchema,
  net: MoneySchema,
  orderLegacyId: z.string().regex(/^\d+$/).optional(),
  sourceOrderTransactionId: z.string().regex(/^\d+$/).optional(),
});

const SeedPayoutSchema = z.object({
  legacyResourceId: z.string().regex(/^\d+$/),
  issuedAt: z.iso.datetime({ offset: true }),
  status: z.enum(["SCHEDULED", "IN_TRANSIT", "PAID", "FAILED", "CANCELED"]).default("PAID"),
  net: MoneySchema,
  balanceTransactions: z.array(SeedBalanceTransactionSchema).default([]),
});

/**
 * `POST /_control/seed`: orders and payouts for one shop, added to what is there. Sending
 * `payouts` (even empty) gives the shop a Shopify Payments account.
 */
export const SeedSchema = z.object({
  shop: z.string().min(1),
  orders: z.array(SeedOrderSchema).default([]),
  payouts: z.array(SeedPayoutSchema).optional(),
});
export type Seed = z.input<typeof SeedSchema>;

/** `POST /_control/faults`: how many of the next calls to throttle or fail with a 500. */
export const FaultsSchema = z.object({
  throttle: z.number().int().min(0).default(0),
  serverError: z.number().int().min(0).default(0),
});
export type Faults = z.infer<typeof FaultsSchema>;

export interface StoredMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface StoredOrder {
  id: string;
  legacyResourceId: string;
  name: string;
  updatedAt: string;
  tags: string[];
  /** By `namespace.key`. */
  metafields: Record<string, StoredMetafield>;
  /** The REST-shaped order it was seeded with, if any. */
  payload?: Record<string, unknown>;
}

export type StoredPayout = z.infer<typeof SeedPayoutSchema>;

export interface RecordedCall {
  shop: string;
  operationName: string;
  variables: Record<string, unknown>;
  /** When the call arrived, epoch ms (the inventory benchmark times pushes by it). */
  at: number;
}

interface ShopState {
  orders: Map<string, StoredOrder>;
  /** Undefined: the shop has no Shopify Payments account. */
  payouts: StoredPayout[] | undefined;
  limit: ShopLimit;
}

/** Everything the stand-in holds, in memory, for every shop. */
export class StandInState {
  readonly calls: RecordedCall[] = [];
  faults: Faults = { throttle: 0, serverError: 0 };
  private shops = new Map<string, ShopState>();
  private nextId = 1;

  constructor(
    private readonly limit: StandInLimit,
    readonly now: () => number,
  ) {}

  shop(shop: string): ShopState {
    let state = this.shops.get(shop);
    if (!state) {
      state = { orders: new Map(), payouts: undefined, limit: new ShopLimit(this.limit, this.now) };
      this.shops.set(shop, state);
    }
    return state;
  }

  seed(seed: z.infer<typeof SeedSchema>): void {
    const state = this.shop(seed.shop);
    for (const order of seed.orders) {
      const id = `gid://shopify/Order/${order.legacyResourceId}`;
      state.orders.set(id, {
        id,
        legacyResourceId: order.legacyResourceId,
        name: order.name ?? payloadName(order.payload) ?? `#${order.legacyResourceId}`,
        updatedAt: new Date(order.updatedAt).toISOString(),
        tags: [...new Set([...payloadTags(order.payload), ...order.tags])],
        metafields: {},
        ...(order.payload ? { payload: order.payload } : {}),
      });
    }
    if (seed.payouts) state.payouts = [...(state.payouts ?? []), ...seed.payouts];
  }

  /** Takes one injected fault, if any is pending. */
  takeFault(): "throttle" | "serverError" | undefined {
    if (this.faults.serverError > 0) {
      this.faults.serverError -= 1;
      return "serverError";
    }
    if (this.faults.throttle > 0) {
      this.faults.throttle -= 1;
      return "throttle";
    }
    return undefined;
  }

  newId(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }

  reset(): void {
    this.calls.length = 0;
    this.faults = { throttle: 0, serverError: 0 };
    this.shops.clear();
    this.nextId = 1;
  }
}
