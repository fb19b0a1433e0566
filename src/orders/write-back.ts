import { type OrderTarget, updateOrderTarget } from "../db/order-exports";
import type { HandlerContext } from "../queues/handler";
import { writeBackOrderReference } from "../shopify/admin/order-write-back";

/**
 * Writes a connector's reference onto the Shopify order (app-owned metafield and tag),
 * once per order and connector. Runs after the lease is released: the mutation is
 * idempotent, so a crash between it and the bookkeeping only repeats a harmless write.
 * A failure throws (retryable or permanent); the export itself stays done and is not
 * sent again when the message is retried or replayed.
 */
export async function writeBackReference(target: OrderTarget, ctx: HandlerContext): Promise<void> {
  if (target.status !== "exported" || !target.externalRef || target.writtenBackAt) return;
  if (target.connector !== "erp" && target.connector !== "oms") return;

  await writeBackOrderReference(ctx, target.shop, {
    orderGid: `gid://shopify/Order/${target.orderId}`,
    target: target.connector,
    externalRef: target.externalRef,
  });
  await updateOrderTarget(
    ctx.db,
    { shop: target.shop, orderId: target.orderId, connector: target.connector },
    { writtenBackAt: Date.now() },
  );
  ctx.logger.info("order reference written back to Shopify", { connector: target.connector });
}
