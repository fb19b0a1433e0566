import { z } from "zod";
import { PermanentError, RetryableError } from "../queues/errors";
import { parseRetryAfter } from "../queues/retry-policy";

/** What a connector's answer means for the export, per docs/connectors.md. */
export type ConnectorOutcome =
  | { kind: "done"; externalRef: string | null; status: number }
  | { kind: "pending"; status: number };

const ReferenceSchema = z.object({ externalRef: z.string().min(1).max(200) });
const ReasonSchema = z
  .object({
    reason: z.string().optional(),
    detail: z.string().optional(),
    message: z.string().optional(),
    title: z.string().optional(),
  })
  .transform((body) => body.detail ?? body.reason ?? body.message ?? body.title);

/** Longest connector error text kept in the ledger and dead letters. */
const MAX_REASON_CHARS = 500;

/**
 * Classifies a connector's HTTP answer. Returns the outcome for success; throws
 * `RetryableError` for what may heal (408, 429, 5xx) and `PermanentError` for everything
 * else, carrying the connector's stated reason.
 */
export function classifyConnectorResponse(
  connector: string,
  status: number,
  headers: Headers,
  bodyText: string,
): ConnectorOutcome {
  const json = parseJson(bodyText);

  if (status === 202) return { kind: "pending", status };
  if ((status >= 200 && status < 300) || status === 409) {
    const reference = ReferenceSchema.safeParse(json);
    if (reference.success) return { kind: "done", externalRef: reference.data.externalRef, status };
    // "Already have it" without a reference is still done: the connector holds the order.
    if (status === 409) return { kind: "done", externalRef: null, status };
    throw new PermanentError(
      "connector_protocol_violation",
      `${connector} answered ${status} without an externalRef`,
    );
  }

  const reason = describeRejection(json, bodyText);
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterSeconds = parseRetryAfter(headers.get("retry-after"));
    throw new RetryableError(`connector_${status}`, `${connector} answered ${status}: ${reason}`, {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  throw new PermanentError(
    "connector_rejected",
    `${connector} rejected the event (${status}): ${reason}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeRejection(json: unknown, bodyText: string): string {
  const parsed = ReasonSchema.safeParse(json);
  const reason = (parsed.success && parsed.data) || bodyText.trim() || "no reason given";
  return reason.slice(0, MAX_REASON_CHARS);
}
