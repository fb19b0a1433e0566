import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { SkuSchema } from "../operations";

/**
 * A message on INVENTORY_PUSH_QUEUE: "this SKU changed, tell Shopify". It carries no
 * quantities: the consumer reads the object's current state, so messages that arrive late,
 * twice or out of order can never push an old number.
 */
export const InventoryPushMessageSchema = z.object({
  version: z.literal(1),
  shop: ShopDomainSchema,
  sku: SkuSchema,
  /** Epoch ms of the change that opened the debounce window, for the propagation lag. */
  changedAt: z.number().int(),
  /**
   * The W3C trace of that change (the webhook, OMS batch or confirmation that caused it);
   * changes coalesced into the same push are in the stock object's debug log instead.
   */
  traceparent: z.string().max(256).optional(),
});
export type InventoryPushMessage = z.infer<typeof InventoryPushMessageSchema>;

/** The SKU's Durable Object. */
export function stockObject(env: Cloudflare.Env, shop: string, sku: string) {
  return env.STOCK.getByName(`${shop}:${sku}`);
}
