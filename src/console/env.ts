import type { AdminPrincipal } from "../http/admin/principal";
import type { HubEnv } from "../http/context";

/** The Hono environment of console pages: the hub's, plus the signed-in user. */
export interface ConsoleEnv extends HubEnv {
  Variables: HubEnv["Variables"] & {
    admin: AdminPrincipal;
    /** The session's CSRF token, for every form on the page; empty without a secret. */
    csrfToken: string;
    secureHeadersNonce?: string;
  };
}
