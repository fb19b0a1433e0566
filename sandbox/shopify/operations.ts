import { z } from "zod";
import { graphqlOrder, lineItemPage } from "./order-details";
import { paginate, termValue, timePredicate } from "./search";
import type { StandInState, StoredMetafield, StoredOrder } from "./state";

interface Execution {
  data: Record<string, unknown>;
  actualCost: number;
}

interface StandInOperation<V> {
  variables: z.ZodType<V>;
  requestedCost(variables: V): number;
  execute(state: StandInState, shop: string, variables: V): Execution;
}

/** An operation with its variables checked, ready to run once the limit allows it. */
export type Prepared =
  | { ok: true; requestedCost: number; execute: () => Execution }
  | { ok: false; message: string };

export interface OperationHandler {
  prepare(state: StandInState, shop: string, variables: unknown): Prepared;
}

function defineOperation<V>(operation: StandInOperation<V>): OperationHandler {
  return {
    prepare(state, shop, variables) {
      const parsed = operation.variables.safeParse(variables ?? {});
      if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
      return {
        ok: true,
        requestedCost: operation.requestedCost(parsed.data),
        execute: () => operation.execute(state, shop, parsed.data),
      };
    },
  };
}

const PageVariables = z.object({
  first: z.number().int().min(1).max(250),
  after: z.string().nullish(),
  query: z.string().default(""),
});

const METAFIELD_KEY = /^[A-Za-z0-9_-]{2,64}$/;

const orderWriteBack = defineOperation({
  variables: z.object({
    orderId: z.string(),
    tags: z.array(z.string()),
    metafields: z
      .array(
        z.object({
          ownerId: z.string(),
          namespace: z.string().optional(),
          key: z.string(),
          type: z.string().optional(),
          value: z.string(),
        }),
      )
      .max(25),
  }),
  requestedCost: () => 20,
  execute(state, shop, variables) {
    const orders = state.shop(shop).orders;

    const metafieldErrors = variables.metafields.flatMap((input, index) => {
      if (!orders.has(input.ownerId)) {
        return [userError(["metafields", index, "ownerId"], "Owner does not exist.", "INVALID")];
      }
      if (!METAFIELD_KEY.test(input.key)) {
        return [userError(["metafields", index, "key"], "Key is invalid.", "INVALID")];
      }
      if (input.value.trim() === "") {
        return [userError(["metafields", index, "value"], "Value can't be blank.", "BLANK")];
      }
      return [];
    });
    // metafieldsSet is atomic: one bad entry and nothing is written.
    const written: StoredMetafield[] =
      metafieldErrors.length > 0
        ? []
        : variables.metafields.map((input) => setMetafield(state, orders, input));

    const order = orders.get(variables.orderId);
    const tagErrors = order ? [] : [userError(["id"], "Order does not exist", null)];
    if (order) addTags(order, variables.tags, state.now());

    return {
      data: {
        metafieldsSet: { metafields: written, userErrors: metafieldErrors },
        tagsAdd: { node: order ? { id: order.id } : null, userErrors: tagErrors },
      },
      actualCost: 20,
    };
  },
});

const ordersUpdatedSince = defineOperation({
  variables: PageVariables,
  requestedCost: (variables) => 2 + variables.first,
  execute(state, shop, variables) {
    const matches = timePredicate(variables.query, "updated_at");
    const sorted = [...state.shop(shop).orders.values()]
      .filter((order) => matches(order.updatedAt))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const page = paginate(sorted, variables.first, variables.after);

    return {
      data: {
        orders: {
          nodes: page.nodes.map(({ id, legacyResourceId, name, updatedAt }) => ({
            id,
            legacyResourceId,
            name,
            updatedAt,
          })),
          pageInfo: page.pageInfo,
        },
      },
      actualCost: 2 + page.nodes.length,
    };
  },
});

const payoutsSince = defineOperation({
  variables: PageVariables,
  requestedCost: (variables) => 3 + variables.first * 2,
  execute(state, shop, variables) {
    const payouts = state.shop(shop).payouts;
    if (!payouts) return { data: { shopifyPaymentsAccount: null }, actualCost: 1 };

    const matches = timePredicate(variables.query, "issued_at");
    const sorted = payouts
      .filter((payout) => matches(payout.issuedAt))
      .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
    const page = paginate(sorted, variables.first, variables.after);

    return {
      data: {
        shopifyPaymentsAccount: {
          payouts: {
            nodes: page.nodes.map((payout) => ({
              id: `gid://shopify/ShopifyPaymentsPayout/${payout.legacyResourceId}`,
              legacyResourceId: payout.legacyResourceId,
              issuedAt: new Date(payout.issuedAt).toISOString(),
              status: payout.status,
              net: payout.net,
            })),
            pageInfo: page.pageInfo,
          },
        },
      },
      actualCost: 3 + page.nodes.length * 2,
    };
  },
});

const payoutBalanceTransactions = defineOperation({
  variables: PageVariables,
  requestedCost: (variables) => 3 + variables.first * 5,
  execute(state, shop, variables) {
    const payouts = state.shop(shop).payouts;
    if (!payouts) return { data: { shopifyPaymentsAccount: null }, actualCost: 1 };

    const payoutId = termValue(variables.query, "payments_transfer_id");
    const transactions = payouts
      .filter((payout) => payoutId === undefined || payout.legacyResourceId === payoutId)
      .flatMap((payout) => payout.balanceTransactions);
    const page = paginate(transactions, variables.first, variables.after);

    return {
      data: {
        shopifyPaymentsAccount: {
          balanceTransactions: {
            nodes: page.nodes.map((transaction) => ({
              id: `gid://shopify/ShopifyPaymentsBalanceTransaction/${transaction.legacyResourceId}`,
              type: transaction.type,
              transactionDate: new Date(transaction.transactionDate).toISOString(),
              sourceOrderTransactionId: transaction.sourceOrderTransactionId ?? null,
              amount: transaction.amount,
              fee: transaction.fee,
              net: transaction.net,
              associatedOrder: transaction.orderLegacyId
                ? { id: `gid://shopify/Order/${transaction.orderLegacyId}` }
                : null,
            })),
            pageInfo: page.pageInfo,
          },
        },
      },
      actualCost: 3 + page.nodes.length * 5,
    };
  },
});

const orderForExport = defineOperation({
  variables: z.object({ id: z.string(), lineItemsFirst: z.number().int().min(1).max(250) }),
  requestedCost: (variables) => 150 + variables.lineItemsFirst * 13,
  execute(state, shop, variables) {
    const stored = state.shop(shop).orders.get(variables.id);
    if (!stored) return { data: { order: null }, actualCost: 1 };

    const { order, lines } = graphqlOrder(stored);
    const lineItems = lineItemPage(lines, variables.lineItemsFirst, null);
    return {
      data: { order: { ...order, lineItems } },
      actualCost: 20 + lineItems.nodes.length * 6,
    };
  },
});

const orderLineItems = defineOperation({
  variables: PageVariables.extend({ id: z.string() }),
  requestedCost: (variables) => 3 + variables.first * 13,
  execute(state, shop, variables) {
    const stored = state.shop(shop).orders.get(variables.id);
    if (!stored) return { data: { order: null }, actualCost: 1 };

    const lineItems = lineItemPage(graphqlOrder(stored).lines, variables.first, variables.after);
    return { data: { order: { lineItems } }, actualCost: 3 + lineItems.nodes.length * 6 };
  },
});

/** The operations the stand-in answers, by operation name. */
export const OPERATIONS: Record<string, OperationHandler> = {
  OrderWriteBack: orderWriteBack,
  OrdersUpdatedSince: ordersUpdatedSince,
  PayoutsSince: payoutsSince,
  PayoutBalanceTransactions: payoutBalanceTransactions,
  OrderForExport: orderForExport,
  OrderLineItems: orderLineItems,
};

function userError(field: (string | number)[], message: string, code: string | null) {
  return { field: field.map(String), message, code };
}

function setMetafield(
  state: StandInState,
  orders: Map<string, StoredOrder>,
  input: { ownerId: string; namespace?: string; key: string; type?: string; value: string },
): StoredMetafield {
  const order = orders.get(input.ownerId);
  const namespace = input.namespace ?? "$app";
  const slot = `${namespace}.${input.key}`;
  const existing = order?.metafields[slot];
  const metafield: StoredMetafield = {
    id: existing?.id ?? `gid://shopify/Metafield/${state.newId()}`,
    namespace,
    key: input.key,
    type: input.type ?? existing?.type ?? "single_line_text_field",
    value: input.value,
  };
  if (order) order.metafields[slot] = metafield;
  return metafield;
}

// Adding a tag changes the order, so Shopify bumps updated_at (and sends orders/updated).
function addTags(order: StoredOrder, tags: string[], nowMs: number): void {
  const incoming = tags
    .flatMap((tag) => tag.split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
  const added = [...new Set(incoming)].filter((tag) => !order.tags.includes(tag));
  if (added.length === 0) return;
  order.tags.push(...added);
  order.updatedAt = new Date(nowMs).toISOString();
}
