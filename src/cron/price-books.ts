import { shopsBehind } from "../db/price-heads";
import { recordPriceHydration } from "../metrics/hooks";
import { importPriceBooks } from "../pricing/import";
import { publishPriceBook } from "../pricing/publish";
import type { CronJob } from "./job";
import { pushPriceListsStep } from "./price-list-push";

/**
 * Nightly: pull every shop's full price book from the ERP, store and publish it, then push
 * the mapped contract lists to Shopify, retrying entries Shopify refused before.
 */
export const importPriceBookJob: CronJob = async (ctx) => {
  const { env, db, settings, logger } = ctx;
  const shops = await importPriceBooks({ db, kv: env.PRICES, settings, logger });
  for (const { shop } of shops) recordPriceHydration(env, { shop, outcome: "succeeded" });
  const shopifyPriceLists = await pushPriceListsStep(ctx, {
    shops: shops.map(({ shop }) => shop),
    retryFailed: true,
  });
  return { shops, shopifyPriceLists };
};

/**
 * Every five minutes: publish the shops whose D1 book is ahead of KV (an on-demand change
 * whose inline publish found the lease taken, or failed), then push the contract lists
 * whose Shopify price list lags the book (on-demand changes, throttled pushes). Nothing to
 * do is two queries.
 */
export const publishPendingPriceBooks: CronJob = async (ctx) => {
  const { env, db, logger } = ctx;
  const shops = await shopsBehind(db);
  const results: Record<string, string> = {};
  for (const shop of shops) {
    const outcome = await publishPriceBook({ db, kv: env.PRICES, logger }, shop, { waitMs: 5000 });
    results[shop] = outcome.status;
  }
  return { shops: results, shopifyPriceLists: await pushPriceListsStep(ctx) };
};
