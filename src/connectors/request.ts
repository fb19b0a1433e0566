import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { PermanentError, RetryableError } from "../queues/errors";
import { parseRetryAfter } from "../queues/retry-policy";
import type { ConnectorConfig } from "./config";
import { fetchConnector } from "./transport";

/** A signed read (GET) or query (POST) to a connector that answers with a JSON document. */
export interface ConnectorQuery {
  method: "GET" | "POST";
  /** Path and query under the connector's base URL, e.g. `/v1/price-books?cursor=abc`. */
  path: string;
  /** Unique per request; the Standard Webhooks message id (`webhook-id`). */
  requestId: string;
  traceparent: string;
  body?: unknown;
  /** Overrides the connector's timeout (a cart waiting on a quote cannot wait 10 s). */
  timeoutMs?: number;
}

// Longest connector error text carried in an error message.
const MAX_REASON_CHARS = 300;

/**
 * Sends one signed request and parses the JSON answer with `schema`. The signature is the
 * one order exports carry (docs/connectors.md), over the body, which is empty for a GET.
 * Exactly one attempt, no hidden retries: the caller (cron run, queue, breaker) decides.
 * @throws {RetryableError} on timeouts (`connector_timeout`), network failures, 408, 429
 *   and 5xx (with `retryAfterSeconds` from Retry-After)
 * @throws {PermanentError} `connector_rejected` on other non-2xx answers,
 *   `connector_protocol_violation` when a 2xx body does not match `schema`
 */
export async function queryConnector<S extends z.ZodType>(
  connector: ConnectorConfig,
  query: ConnectorQuery,
  schema: S,
): Promise<z.infer<S>> {
  const body = query.method === "GET" ? "" : JSON.stringify(query.body ?? {});
  const sentAt = new Date();
  const signature = new Webhook(connector.signingSecret).sign(query.requestId, sentAt, body);
  const timeoutMs = query.timeoutMs ?? connector.timeoutMs;

  const { response, text } = await fetchConnector(
    connector.name,
    `${connector.baseUrl}${query.path}`,
    {
      method: query.method,
      headers: {
        ...(query.method === "POST" ? { "content-type": "application/json" } : {}),
        accept: "application/json",
        "webhook-id": query.requestId,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
        traceparent: query.traceparent,
      },
      ...(query.method === "POST" ? { body } : {}),
    },
    timeoutMs,
  );

  if (!response.ok) {
    const reason = text.trim().slice(0, MAX_REASON_CHARS) || "no reason given";
    const status = response.status;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
      throw new RetryableError(
        `connector_${status}`,
        `${connector.name} answered ${status}: ${reason}`,
        {
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      );
    }
    throw new PermanentError(
      "connector_rejected",
      `${connector.name} refused (${status}): ${reason}`,
    );
  }

  const parsed = schema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new PermanentError(
      "connector_protocol_violation",
      `${connector.name} answered ${query.method} ${query.path.split("?")[0]} with an unexpected body: ${z.prettifyError(parsed.error).slice(0, MAX_REASON_CHARS)}`,
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
