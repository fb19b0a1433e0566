/**
 * RFC 9457 problems as the sandbox's ERP and OMS answer them. The sandbox plays systems
 * outside the hub, so it has its own problem type namespace rather than the hub's.
 */
export class SandboxProblem extends Error {
  override readonly name = "SandboxProblem";

  constructor(
    readonly status: number,
    readonly reason: string,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** The `application/problem+json` response for a problem. */
export function problemResponse(problem: SandboxProblem): Response {
  const body = {
    type: `urn:shopify-edge-hub-sandbox:problem:${problem.reason}`,
    title: problem.title,
    status: problem.status,
    reason: problem.reason,
    ...(problem.detail ? { detail: problem.detail } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}

/** A JSON response with any status, including ones Hono's typed `c.json` does not accept. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
