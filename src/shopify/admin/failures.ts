import { PermanentError, RetryableError } from "../../queues/errors";
import { parseRetryAfter } from "../../queues/retry-policy";
import { STANDARD_PLAN_LIMIT } from "./cost-bucket";
import type { GraphqlError, QueryCost, UserError } from "./graphql-response";

export type AdminFailure = RetryableError | PermanentError;

/**
 * Classifies a non-2xx Admin API answer. Auth and missing-resource answers are permanent
 * (retrying cannot fix a revoked token or an uninstalled shop); 408, 429 and 5xx are
 * retryable, honouring `Retry-After`.
 */
export function httpFailure(
  operation: string,
  response: { status: number; retryAfter: string | null },
): AdminFailure {
  const { status } = response;
  const message = `${operation}: Shopify answered HTTP ${status}`;
  const retryAfterSeconds = parseRetryAfter(response.retryAfter);

  if (status === 408) return new RetryableError("shopify_timeout", message);
  if (status === 429) {
    return new RetryableError("shopify_rate_limited", message, { retryAfterSeconds });
  }
  if (status >= 500) {
    return new RetryableError("shopify_unavailable", message, { retryAfterSeconds });
  }

  const permanentCodes: Record<number, string> = {
    401: "shopify_unauthorized",
    // Shopify answers 402 for a shop frozen for non-payment and 423 for a locked shop.
    402: "shopify_shop_frozen",
    403: "shopify_forbidden",
    404: "shopify_not_found",
    423: "shopify_shop_locked",
  };
  return new PermanentError(permanentCodes[status] ?? "shopify_rejected", message);
}

/**
 * Classifies the top-level `errors` of a 200 answer. THROTTLED is retryable after the
 * time Shopify needs to restore the points the request asked for; internal errors are
 * retryable; everything else (validation, access denied, cost too high) is permanent.
 */
export function graphqlFailure(
  operation: string,
  errors: GraphqlError[],
  cost: QueryCost | undefined,
  estimatedCost: number,
): AdminFailure {
  const codes = errors.map((error) => error.extensions?.code);
  const message = `${operation}: ${errors.map(describeGraphqlError).join("; ")}`;

  if (codes.includes("THROTTLED")) {
    return new RetryableError("shopify_throttled", message, {
      retryAfterSeconds: throttleDelaySeconds(cost, estimatedCost),
    });
  }
  if (codes.includes("INTERNAL_SERVER_ERROR")) {
    return new RetryableError("shopify_internal_error", message);
  }
  if (codes.includes("ACCESS_DENIED")) return new PermanentError("shopify_access_denied", message);
  if (codes.includes("MAX_COST_EXCEEDED")) {
    return new PermanentError("shopify_max_cost_exceeded", message);
  }
  return new PermanentError("shopify_graphql_error", message, { cause: errors });
}

/**
 * Seconds until Shopify's bucket holds the points a throttled request asked for, from the
 * reported throttleStatus; at least one second.
 */
export function throttleDelaySeconds(cost: QueryCost | undefined, estimatedCost: number): number {
  const requested = cost?.requestedQueryCost ?? estimatedCost;
  const status = cost?.throttleStatus;
  const available = status?.currentlyAvailable ?? 0;
  const restoreRate = status?.restoreRate ?? STANDARD_PLAN_LIMIT.restoreRate;
  return Math.max(1, Math.ceil(Math.max(0, requested - available) / restoreRate));
}

/**
 * A mutation's `userErrors`, by mutation field, as one permanent failure naming each
 * field path and message; undefined when there are none. The structured list rides along
 * as the error's `cause`.
 */
export function userErrorsFailure(
  operation: string,
  userErrors: Record<string, UserError[]>,
): PermanentError | undefined {
  const described = Object.entries(userErrors).flatMap(([mutation, errors]) =>
    errors.map(
      (error) => `${mutation} ${(error.field ?? []).join(".") || "(input)"}: ${error.message}`,
    ),
  );
  if (described.length === 0) return undefined;

  return new PermanentError(
    "shopify_user_errors",
    `${operation} rejected by Shopify: ${described.join("; ")}`,
    { cause: userErrors },
  );
}

function describeGraphqlError(error: GraphqlError): string {
  const code = error.extensions?.code;
  return code ? `${error.message} (${code})` : error.message;
}
