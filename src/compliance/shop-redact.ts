import { setInstallationStatus } from "../db/compliance";
import { deleteShopDeadLetters } from "../db/dead-letters";
import { deleteOrderEvents } from "../db/order-events";
import { deleteShopOrderLedger } from "../db/order-exports";
import { deleteShopReceipts } from "../db/receipts";
import type { HandlerContext } from "../queues/handler";
import { deleteStoredPayloads } from "../queues/payload-store";

export interface ShopRedactResult {
  receiptsDeleted: number;
  storedPayloadsDeleted: number;
  deadLettersDeleted: number;
  exportsDeleted: number;
  orderEventsDeleted: number;
  orderLedgerRowsDeleted: number;
}

/**
 * `shop/redact` (sent 48 hours after uninstall): purges everything the hub holds for the
 * shop. The compliance ledger keeps its rows, which carry ids and counts but no PII.
 */
export async function redactShop(shop: string, ctx: HandlerContext): Promise<ShopRedactResult> {
  const storedPayloadsDeleted = await deleteStoredPayloads(ctx.env.PAYLOADS, ctx.db, {
    shop,
    all: true,
  });
  const exportsDeleted = await deletePrefix(ctx.env.PAYLOADS, `compliance/${shop}/`);
  const deadLettersDeleted = await deleteShopDeadLetters(ctx.db, shop);
  const receiptsDeleted = await deleteShopReceipts(ctx.db, shop);
  const orderEventsDeleted = await deleteOrderEvents(ctx.db, { shop, all: true });
  const orderLedgerRowsDeleted = await deleteShopOrderLedger(ctx.db, shop);
  await setInstallationStatus(ctx.db, shop, "redacted");

  return {
    receiptsDeleted,
    storedPayloadsDeleted,
    deadLettersDeleted,
    exportsDeleted,
    orderEventsDeleted,
    orderLedgerRowsDeleted,
  };
}

async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((object) => object.key);
    if (keys.length) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}
