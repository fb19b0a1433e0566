import type { Context } from "hono";
import { formatTraceparent } from "../../observability/trace";
import type { ResolveContext } from "../../pricing/service";
import type { HubEnv } from "../context";

/** What the resolver needs, from a request's context. */
export function resolveContext<E extends HubEnv>(c: Context<E>): ResolveContext {
  return {
    env: c.env,
    settings: c.var.settings,
    logger: c.var.logger,
    traceparent: formatTraceparent(c.var.trace),
  };
}
