import type { Settings } from "../config/settings";
import type { Database } from "../db/client";
import type { Logger } from "../observability/logger";
import type { TraceContext } from "../observability/trace";
import type { Envelope } from "./envelope";

export interface HandlerContext {
  env: Cloudflare.Env;
  settings: Settings;
  db: Database;
  /** Carries shop, topic, webhook id and trace id. */
  logger: Logger;
  /**
   * The envelope's W3C trace, when its `traceparent` parses; outgoing calls (connectors,
   * the Shopify Admin API) continue it as child spans.
   */
  trace?: TraceContext;
}

/**
 * Does one domain's work for one envelope. Must be idempotent: Queues deliver at least
 * once, and operators replay dead letters through the same handler. Throws
 * `RetryableError` or `PermanentError` (see ./errors) to steer the retry policy.
 */
export type DomainHandler = (envelope: Envelope, ctx: HandlerContext) => Promise<void>;
