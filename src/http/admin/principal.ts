import type { AdminScope } from "../../config/settings";

/**
 * Who is calling the admin API or the console, however they proved it: a bearer token, a
 * console session cookie (made from a token at login) or a Cloudflare Access JWT.
 */
export interface AdminPrincipal {
  /** The token's name, or the Access identity's email; audit entries name it. */
  name: string;
  scopes: AdminScope[];
  /** The shops it may see; `undefined` means every shop the hub serves. */
  shops?: string[];
  via: "token" | "session" | "access";
  /**
   * For ambient credentials (cookie, Access): the key the request's CSRF token is bound
   * to. Bearer tokens are never sent by a browser on its own, so they need none.
   */
  csrfKey?: string;
}
