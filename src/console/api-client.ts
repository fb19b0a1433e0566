import type { Context } from "hono";
import { z } from "zod";
import { CSRF_HEADER } from "../http/admin/auth";
import { formatTraceparent } from "../observability/trace";
import { ACCESS_JWT_HEADER } from "./auth/principal";
import type { ConsoleEnv } from "./env";

/** Runs one request through the hub's own app, in this isolate (no network hop). */
export type HubFetch = (
  request: Request,
  env: Cloudflare.Env,
  executionCtx: Context["executionCtx"] | undefined,
) => Promise<Response>;

/** What a console section got from the admin API, including "this hub has no such route". */
export type ApiResult =
  | { kind: "ok"; data: unknown }
  | { kind: "absent" }
  | { kind: "denied"; status: number; detail: string }
  | { kind: "failed"; status: number; detail: string };

const ProblemSchema = z.object({
  title: z.string(),
  reason: z.string(),
  detail: z.string().optional(),
});

/**
 * Calls `/admin/api/...` as the console's own user: the request carries the browser's
 * session cookie or Access JWT (and on POST the CSRF token), so the API applies the same
 * scopes, tenancy and audit as for a bearer token. A route that does not exist answers
 * `absent`, which is how the console detects modules this deployment does not have.
 */
export async function callAdminApi(
  c: Context<ConsoleEnv>,
  hubFetch: HubFetch,
  path: string,
  init: { method?: "GET" | "POST"; csrfToken?: string; body?: unknown } = {},
): Promise<ApiResult> {
  const headers = new Headers({ accept: "application/json" });
  for (const name of ["cookie", ACCESS_JWT_HEADER, "cf-connecting-ip"]) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  headers.set("traceparent", formatTraceparent(c.var.trace));
  if (init.csrfToken !== undefined) headers.set(CSRF_HEADER, init.csrfToken);
  if (init.body !== undefined) headers.set("content-type", "application/json");

  const request = new Request(new URL(path, c.req.url), {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const response = await hubFetch(request, c.env, executionContextOf(c));
  const json: unknown = await response.json().catch(() => undefined);

  if (response.ok) return { kind: "ok", data: json };
  const problem = ProblemSchema.safeParse(json);
  if (response.status === 404 && problem.success && problem.data.title === "No such route") {
    return { kind: "absent" };
  }
  const detail = problem.success
    ? `${problem.data.title}${problem.data.detail ? `: ${problem.data.detail}` : ""}`
    : `HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403) {
    return { kind: "denied", status: response.status, detail };
  }
  return { kind: "failed", status: response.status, detail };
}

/** The request's execution context, absent when the app is called without one (tests). */
function executionContextOf(c: Context): Context["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // Hono throws when there is none; the sub-request runs without it.
  }
}
