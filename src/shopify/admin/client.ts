import { createAdminApiClient } from "@shopify/admin-api-client";
import type { Settings } from "../../config/settings";
import type { Logger } from "../../observability/logger";
import { RetryableError } from "../../queues/errors";
import { httpFailure } from "./failures";
import {
  type GraphqlError,
  type GraphqlResponse,
  GraphqlResponseSchema,
  type QueryCost,
} from "./graphql-response";

/** The settings the Admin client reads. */
export type AdminClientSettings = Pick<
  Settings,
  "SHOPIFY_ADMIN_URL" | "SHOPIFY_API_VERSION" | "CONNECTOR_TIMEOUT_MS"
>;

export interface AdminRequest {
  /** The operation's name, for messages and logs. */
  operation: string;
  document: string;
  variables: Record<string, unknown>;
  /** W3C trace context sent with the request, so Shopify-side work joins the hub's trace. */
  traceparent?: string;
}

/** A 200 answer: `data` still to be parsed by the caller, top-level `errors`, and the cost. */
export interface AdminReply {
  data: GraphqlResponse["data"];
  errors: GraphqlError[];
  cost: QueryCost | undefined;
}

type ClientLogger = NonNullable<Parameters<typeof createAdminApiClient>[0]["logger"]>;

/**
 * The shop's admin origin: SHOPIFY_ADMIN_URL with `{shop}` filled in (`https://{shop}` in
 * production, the local stand-in otherwise), without a trailing slash.
 */
export function adminBaseUrl(settings: Pick<Settings, "SHOPIFY_ADMIN_URL">, shop: string): string {
  return settings.SHOPIFY_ADMIN_URL.replaceAll("{shop}", shop).replace(/\/+$/, "");
}

/** The GraphQL endpoint for `shop`: the admin origin, then `/admin/api/{version}/graphql.json`. */
export function adminGraphqlUrl(settings: AdminClientSettings, shop: string): string {
  return `${adminBaseUrl(settings, shop)}/admin/api/${settings.SHOPIFY_API_VERSION}/graphql.json`;
}

/**
 * Sends one GraphQL request through `@shopify/admin-api-client`, once: the library's own
 * retries are off so the queue's retry policy is the only one. Returns every 200 answer
 * (GraphQL errors included, for the caller to classify with the cost data).
 * `accessToken` comes from `adminTokenFor` (src/shopify/oauth/admin-token.ts).
 * @throws {PermanentError} for 401/402/403/404/423 and other 4xx.
 * @throws {RetryableError} for network failures, timeouts (CONNECTOR_TIMEOUT_MS), 408, 429,
 *   5xx (with `Retry-After`) and unreadable bodies.
 */
export async function sendAdminRequest(
  settings: AdminClientSettings,
  logger: Logger,
  shop: string,
  accessToken: string,
  request: AdminRequest,
): Promise<AdminReply> {
  const url = adminGraphqlUrl(settings, shop);
  const signal = AbortSignal.timeout(settings.CONNECTOR_TIMEOUT_MS);
  const client = createAdminApiClient({
    storeDomain: shop,
    apiVersion: settings.SHOPIFY_API_VERSION,
    accessToken,
    userAgentPrefix: "shopify-edge-hub",
    retries: 0,
    logger: clientLogger(logger),
    // The library would call https://{shop}/...; SHOPIFY_ADMIN_URL decides, so local runs
    // and tests reach the stand-in. `fetch` is looked up per call so tests can intercept it.
    customFetchApi: (_libraryUrl, init) =>
      fetch(url, {
        method: init?.method ?? "POST",
        headers: init?.headers,
        body: init?.body,
        signal,
      }),
  });

  let response: Awaited<ReturnType<typeof client.fetch>>;
  try {
    response = await client.fetch(request.document, {
      variables: request.variables,
      signal,
      ...(request.traceparent ? { headers: { traceparent: request.traceparent } } : {}),
    });
  } catch (error) {
    throw transportFailure(request.operation, error, signal, settings.CONNECTOR_TIMEOUT_MS);
  }

  if (!response.ok) {
    await response.body?.cancel();
    throw httpFailure(request.operation, {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
    });
  }
  return readReply(request.operation, response, signal, settings.CONNECTOR_TIMEOUT_MS);
}

async function readReply(
  operation: string,
  response: { json(): Promise<unknown> },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<AdminReply> {
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (signal.aborted) throw transportFailure(operation, error, signal, timeoutMs);
    throw new RetryableError("shopify_malformed_response", `${operation}: body is not JSON`, {
      cause: error,
    });
  }

  const parsed = GraphqlResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new RetryableError(
      "shopify_malformed_response",
      `${operation}: body is not a GraphQL response`,
      { cause: parsed.error },
    );
  }
  return {
    data: parsed.data.data,
    errors: parsed.data.errors,
    cost: parsed.data.extensions?.cost,
  };
}

function transportFailure(
  operation: string,
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
): RetryableError {
  if (signal.aborted) {
    return new RetryableError("shopify_timeout", `${operation}: no answer within ${timeoutMs} ms`, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RetryableError("shopify_network_error", `${operation}: ${reason}`, { cause: error });
}

function clientLogger(logger: Logger): ClientLogger {
  return (log) => {
    if (log.type === "Unsupported_Api_Version") {
      logger.warn("shopify admin api version unsupported", {
        apiVersion: log.content.apiVersion,
      });
    } else if (log.type === "HTTP-Response-GraphQL-Deprecation-Notice") {
      logger.warn("shopify admin api deprecation notice", {
        deprecation: log.content.deprecationNotice,
      });
    }
  };
}
