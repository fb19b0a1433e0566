import { z } from "zod";
import type { Settings } from "../../config/settings";
import { recordAdminCall } from "../../metrics/instrumentation";
import type { Logger } from "../../observability/logger";
import { formatTraceparent, nextTrace, type TraceContext } from "../../observability/trace";
import { PermanentError } from "../../queues/errors";
import { adminTokenFor } from "../oauth/admin-token";
import { acquireBudget, settleBudget, shopBudget } from "./budget";
import { sendAdminRequest } from "./client";
import { graphqlFailure } from "./failures";

/** What an Admin API call needs from its caller (a queue handler or a cron job). */
export interface AdminContext {
  env: Cloudflare.Env;
  settings: Settings;
  /** Carries shop and trace id; the operation adds its own fields. */
  logger: Logger;
  /** The caller's trace; each call is sent as a child span in `traceparent`. */
  trace?: TraceContext;
}

/** One GraphQL operation with its variables, its estimated cost and the shape of `data`. */
export interface AdminOperation<T> {
  name: string;
  document: string;
  variables: Record<string, unknown>;
  /** Points to reserve: Shopify's requested cost for this document and these variables. */
  estimatedCost: number;
  dataSchema: z.ZodType<T>;
}

/**
 * Runs one Admin API operation for `shop` under the shop's shared cost budget: reserve,
 * send once, settle the budget from Shopify's reported cost, then parse `data`.
 * @throws {RetryableError} when throttled (by the budget or by Shopify), on network
 *   failures, timeouts, 429 and 5xx; `retryAfterSeconds` is set when known.
 * @throws {PermanentError} for a missing token, auth failures, GraphQL validation errors
 *   and data that does not match `dataSchema`.
 */
export async function runAdminOperation<T>(
  ctx: AdminContext,
  shop: string,
  operation: AdminOperation<T>,
): Promise<T> {
  const startedAt = Date.now();
  try {
    const data = await runOnce(ctx, shop, operation);
    recordAdminCall(ctx.env, { shop, operation: operation.name, startedAt });
    return data;
  } catch (error) {
    recordAdminCall(ctx.env, { shop, operation: operation.name, startedAt, error });
    throw error;
  }
}

async function runOnce<T>(ctx: AdminContext, shop: string, operation: AdminOperation<T>) {
  const logger = ctx.logger.with({ shop, operation: operation.name });
  const accessToken = await adminTokenFor(ctx.env, ctx.settings, shop);

  const budget = shopBudget(ctx.env, shop);
  await acquireBudget(budget, shop, operation.name, operation.estimatedCost);

  // A failed send keeps its reservation spent: Shopify may have charged for it.
  const reply = await sendAdminRequest(ctx.settings, logger, shop, accessToken, {
    operation: operation.name,
    document: operation.document,
    variables: operation.variables,
    traceparent: formatTraceparent(nextTrace(ctx.trace)),
  });

  const throttled = reply.errors.some((error) => error.extensions?.code === "THROTTLED");
  await settleBudget(budget, logger, operation.estimatedCost, {
    actualQueryCost: throttled ? 0 : reply.cost?.actualQueryCost,
    throttleStatus: reply.cost?.throttleStatus,
  });
  logger.debug("shopify admin call", {
    requestedCost: reply.cost?.requestedQueryCost,
    actualCost: reply.cost?.actualQueryCost,
    availableAfter: reply.cost?.throttleStatus?.currentlyAvailable,
    errors: reply.errors.length,
  });

  if (reply.errors.length > 0) {
    throw graphqlFailure(operation.name, reply.errors, reply.cost, operation.estimatedCost);
  }
  const parsed = operation.dataSchema.safeParse(reply.data);
  if (!parsed.success) {
    throw new PermanentError(
      "shopify_unexpected_data",
      `${operation.name}: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
