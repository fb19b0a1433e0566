import { RetryableError } from "../queues/errors";

/** A connector's answer, read in full: the status and headers plus the body text. */
export interface ConnectorAnswer {
  response: Response;
  text: string;
}

/**
 * Makes one HTTP call to connector `name`, aborted after `timeoutMs`, and reads the body.
 * Any answer (2xx or not) is returned for the caller to classify; only the failure to get
 * one is thrown here.
 * @throws {RetryableError} `connector_timeout` when no answer came in time,
 *   `connector_unreachable` when the call failed for any other reason
 */
export async function fetchConnector(
  name: string,
  url: string,
  init: Omit<RequestInit, "signal">,
  timeoutMs: number,
): Promise<ConnectorAnswer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { response, text: await response.text() };
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw new RetryableError(
      timedOut ? "connector_timeout" : "connector_unreachable",
      timedOut ? `${name} did not answer within ${timeoutMs} ms` : `${name} could not be reached`,
      { cause },
    );
  }
}
