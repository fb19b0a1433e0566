import { createApp } from "./app";
import { runScheduled } from "./cron/dispatch";
import { handleQueueBatch } from "./queues/dispatch";

export { CircuitBreaker } from "./durable-objects/circuit-breaker";
export { ShopApiBudget } from "./durable-objects/shop-api-budget";
export { SkuStock } from "./durable-objects/sku-stock";

const app = createApp();

/** The Worker: HTTP through Hono, every queue through one dispatcher, crons through another. */
export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueueBatch(batch, env),
  scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Cloudflare.Env>;
