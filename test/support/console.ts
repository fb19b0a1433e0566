import { exports } from "cloudflare:workers";

export const HUB_ORIGIN = "https://hub.test";
export const OPERATOR_TOKEN = "operator-token-0123456789";
export const VIEWER_TOKEN = "viewer-token-0123456789ab";

type Fetcher = (request: Request) => Promise<Response>;
const viaWorker: Fetcher = (request) => exports.default.fetch(request);

/** A console form post from the console's own origin, as a browser sends it. */
export function formPost(path: string, fields: Record<string, string>, headers: HeadersInit = {}) {
  return new Request(`${HUB_ORIGIN}${path}`, {
    method: "POST",
    headers: {
      origin: HUB_ORIGIN,
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** Signs in with an admin token and returns the session cookie (`name=value`). */
export async function signIn(token = OPERATOR_TOKEN, fetcher: Fetcher = viaWorker) {
  const response = await fetcher(
    formPost("/admin/login", { token }, { "cf-connecting-ip": randomIp() }),
  );
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 303 || !setCookie) {
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  }
  return setCookie.split(";")[0] ?? "";
}

/** GETs a console page with the session cookie. */
export function page(path: string, cookie: string, fetcher: Fetcher = viaWorker) {
  return fetcher(new Request(`${HUB_ORIGIN}${path}`, { headers: { cookie }, redirect: "manual" }));
}

/** The CSRF token the page's forms carry. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the page");
  return token;
}

/** A fresh client address, so rate-limit counters of one test do not touch another's. */
export function randomIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}
