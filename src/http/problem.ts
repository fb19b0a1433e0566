import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * An RFC 9457 problem. Route handlers throw it; the app's one `onError` turns it into an
 * `application/problem+json` response. `reason` is the stable machine-readable code that
 * docs/errors.md lists.
 */
export class ProblemError extends Error {
  override readonly name = "ProblemError";

  constructor(
    readonly status: ContentfulStatusCode,
    readonly reason: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  reason: string;
  detail?: string;
  [extension: string]: unknown;
}

export function problemBody(problem: ProblemError): ProblemBody {
  return {
    type: `urn:shopify-edge-hub:problem:${problem.reason}`,
    title: problem.title,
    status: problem.status,
    reason: problem.reason,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...problem.extensions,
  };
}

export function problemResponse(problem: ProblemError): Response {
  return new Response(JSON.stringify(problemBody(problem)), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}
