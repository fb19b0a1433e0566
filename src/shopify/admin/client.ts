import { createAdminApiClient } from "@shopify/admin-api-client";
import type { Settings } from "../../config/settings";
import type { Logger } from "../../observability/logger";
import { PermanentError, RetryableError } from "../../queues/errors";
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
  "SHOPIFY_ADMIN_URL" | "SHOPIFY_API_VERSION" | "SHOPIFY_ADMIN_TOKENS" | "CONNECTOR_TIMEOUT_MS"
>;

export interface AdminRequest {
  /** The operation's name, for messages and logs. */
  operation: string;
  document: string;
  variables: Record<string, unknown>;
}

/** A 200 answer: `data` still to be parsed by the caller, top-level `errors`, and the cost. */
export interface AdminReply {
  data: GraphqlResponse["data"];
  errors: GraphqlError[];
  cost: QueryCost | undefined;
}

type ClientLogger = NonNullable<Parameters<typeof createAdminApiClient>[0]["logger"]>;

/**
 * The GraphQL endpoint for `shop`: SHOPIFY_ADMIN_URL with `{shop}` filled in (`https://{shop}`
 * in production, the local stand-in otherwise), then `/admin/api/{version}/graphql.json`.
 */
export function adminGraphqlUrl(settings: AdminClientSettings, shop: string): string {
  const base = settings.SHOPIFY_ADMIN_URL.replaceAll("{shop}", shop).replace(/\/+$/, "");
  return `${base}/admin/api/${settings.SHOPIFY_API_VERSION}/graphql.json`;
}

/**
 * The shop's offline Admin API token from SHOPIFY_ADMIN_TOKENS.
 * @throws {PermanentError} `missing_admin_token` when the hub has none for `shop`.
 */
export function adminAccessToken(settings: AdminClientSettings, shop: string): string {
  const token = settings.SHOPIFY_ADMIN_TOKENS[shop];
  if (!token) {
    throw new PermanentError(
      "missing_admin_token",
      `No Admin API token for ${shop}: add it to SHOPIFY_ADMIN_TOKENS`,
    );
  }
  return token;
}

/**
 * Sends one GraphQL request through `@shopify/admin-api-client`, once: the library's own
 * retries are off so the queue's retry policy is the only one. Returns every 200 answer
 * (GraphQL errors included, for the caller to classify with the cost data).
 * @throws {PermanentError} for a missing token and for 401/402/403/404/423 and other 4xx.
 * @throws {RetryableError} for network failures, timeouts (CONNECTOR_TIMEOUT_MS), 408, 429,
 *   5xx (with `Retry-After`) and unreadable bodies.
 */
export async function sendAdminRequest(
  settings: AdminClientSettings,
  logger: Logger,
  shop: string,
  request: AdminRequest,
): Promise<AdminReply> {
  const url = adminGraphqlUrl(settings, shop);
  const signal = AbortSignal.timeout(settings.CONNECTOR_TIMEOUT_MS);
  const client = createAdminApiClient({
    storeDomain: shop,
    apiVersion: settings.SHOPIFY_API_VERSION,
    accessToken: adminAccessToken(settings, shop),
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
    response = await client.fetch(request.document, { variables: request.variables, signal });
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
