import { Webhook } from "standardwebhooks";
import type { Settings } from "../../config/settings";
import { ProblemError } from "../problem";

/**
 * Checks an OMS/WMS call signed with OMS_SIGNING_SECRET using Standard Webhooks headers
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`, five minutes' tolerance), as
 * connectors sign acks. Returns the parsed JSON body.
 * @throws {ProblemError} 500 `misconfigured` without OMS_SIGNING_SECRET, 401
 *   `invalid_signature` for a missing, wrong or expired signature.
 */
export function verifyOmsCall(
  settings: Settings,
  body: string,
  headers: Record<string, string>,
): unknown {
  if (!settings.OMS_SIGNING_SECRET) {
    throw new ProblemError(
      500,
      "misconfigured",
      "The hub is misconfigured",
      "OMS_SIGNING_SECRET is not set, so no OMS call can be verified.",
    );
  }
  try {
    return new Webhook(settings.OMS_SIGNING_SECRET).verify(body, headers);
  } catch {
    throw new ProblemError(
      401,
      "invalid_signature",
      "Signature is not valid",
      "Sign the body with the OMS secret using Standard Webhooks headers.",
    );
  }
}

/** Reads a body up to `maxBytes`, answering 413 `body_too_large` beyond it. */
export async function readBoundedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) throw tooLarge(maxBytes);
  return text;
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError(
    413,
    "body_too_large",
    "Request body is too large",
    `At most ${maxBytes} bytes.`,
  );
}
