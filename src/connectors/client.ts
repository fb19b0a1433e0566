import { Webhook } from "standardwebhooks";
import { type ConnectorOutcome, classifyConnectorResponse } from "./classify";
import type { ConnectorConfig } from "./config";
import { fetchConnector } from "./transport";

export interface ConnectorRequest {
  /** Path under the connector's base URL, e.g. `/v1/order-events`. */
  path: string;
  /** Deterministic per effect; also the Standard Webhooks message id. */
  idempotencyKey: string;
  traceparent: string;
  body: unknown;
}

/**
 * Sends one signed request to a connector and classifies the answer. Exactly one attempt:
 * retries belong to the queue (one retry layer), circuit breaking to the caller.
 * @throws {RetryableError} on timeouts, network failures, 408, 429 and 5xx
 * @throws {PermanentError} on other 4xx and on protocol violations
 */
export async function sendToConnector(
  connector: ConnectorConfig,
  request: ConnectorRequest,
): Promise<ConnectorOutcome> {
  const body = JSON.stringify(request.body);
  const sentAt = new Date();
  const signature = new Webhook(connector.signingSecret).sign(request.idempotencyKey, sentAt, body);

  const { response, text } = await fetchConnector(
    connector.name,
    `${connector.baseUrl}${request.path}`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": request.idempotencyKey,
        "webhook-id": request.idempotencyKey,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
        traceparent: request.traceparent,
      },
      body,
    },
    connector.timeoutMs,
  );
  return classifyConnectorResponse(connector.name, response.status, response.headers, text);
}
