import { z } from "zod";
import { ORDERS_UPDATED_SINCE } from "./documents";
import { PageInfoSchema } from "./graphql-response";
import { type AdminContext, runAdminOperation } from "./run-operation";
import { timeFilter } from "./search-query";

/** Orders per page; the Admin API allows up to 250 nodes per connection page. */
export const ORDERS_PAGE_SIZE = 100;

// A connection costs 2 points plus 1 per node requested; scalar fields are free.
const ESTIMATED_COST = 2 + ORDERS_PAGE_SIZE;

export const UpdatedOrderSchema = z.object({
  id: z.string(),
  /** The numeric id webhooks and the REST API use, as a string (UnsignedInt64). */
  legacyResourceId: z.string().regex(/^\d+$/),
  name: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type UpdatedOrder = z.infer<typeof UpdatedOrderSchema>;

const OrdersUpdatedSinceDataSchema = z.object({
  orders: z.object({ nodes: z.array(UpdatedOrderSchema), pageInfo: PageInfoSchema }),
});

export interface UpdatedOrdersPage {
  orders: UpdatedOrder[];
  /** Pass `endCursor` back as `cursor` while `hasNextPage`. */
  pageInfo: z.infer<typeof PageInfoSchema>;
}

/**
 * One page of the shop's orders updated at or after `sinceIso`, oldest change first, for
 * reconciling missed webhooks. Inclusive on purpose: an order changed in the same second
 * as the last run is fetched twice rather than missed, and exports are idempotent.
 * Returns ids and `updatedAt` only; the caller decides how to fetch and enqueue each order.
 * @throws {PermanentError} `invalid_timestamp` for a bad `sinceIso`, or Admin API failures.
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 */
export async function listOrdersUpdatedSince(
  ctx: AdminContext,
  shop: string,
  sinceIso: string,
  cursor?: string,
): Promise<UpdatedOrdersPage> {
  const data = await runAdminOperation(ctx, shop, {
    name: "OrdersUpdatedSince",
    document: ORDERS_UPDATED_SINCE,
    variables: {
      first: ORDERS_PAGE_SIZE,
      after: cursor ?? null,
      query: timeFilter("updated_at", ">=", sinceIso),
    },
    estimatedCost: ESTIMATED_COST,
    dataSchema: OrdersUpdatedSinceDataSchema,
  });
  return { orders: data.orders.nodes, pageInfo: data.orders.pageInfo };
}
