import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import type { Child } from "hono/jsx";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { ShopDomainSchema } from "../config/settings";
import { auditOrLog } from "../http/admin/audit-actions";
import { ProblemError } from "../http/problem";
import { sameSecret } from "../http/security/constant-time";
import { rateLimit } from "../http/security/rate-limit";
import { callAdminApi, type HubFetch } from "./api-client";
import { accessConfig } from "./auth/access-jwt";
import { csrfTokenFor } from "./auth/csrf-token";
import { consolePrincipal } from "./auth/principal";
import { endSession, startSession } from "./auth/session-cookie";
import { Layout, Notice } from "./components/layout";
import type { ConsoleEnv } from "./env";
import { CsrfFieldSchema, ReturnToSchema, readForm } from "./forms";
import { findOrderTimelines } from "./order-timeline";
import { AuditPage } from "./pages/audit";
import { DeadLettersPage } from "./pages/dead-letters";
import { LoginPage } from "./pages/login";
import { OrderLookupPage } from "./pages/order";
import { Overview } from "./pages/overview";

/**
 * The operations console under `/admin`: server-rendered pages (Hono JSX, no script) over
 * the admin API, which it calls in-process as the signed-in user. `hubFetch` runs a
 * request through the hub's own app. docs/console.md describes the pages.
 */
export function createConsole(hubFetch: HubFetch) {
  const app = new Hono<ConsoleEnv>();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [NONCE],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "same-origin",
      strictTransportSecurity: "max-age=63072000; includeSubDomains",
    }),
  );
  app.use(async (c, next) => {
    await next();
    // Pages show operational and order data: keep them out of every cache.
    c.header("cache-control", "no-store");
  });
  // Form posts must come from this origin (Origin / Sec-Fetch-Site), before any token check.
  app.use(csrf());

  app.get("/login", async (c) => {
    if (await consolePrincipal(c, c.var.settings)) return c.redirect("/admin", 303);
    return c.html(loginPage(c));
  });
  app.post("/login", rateLimit("RATE_LIMIT_LOGIN", "console-login"), login);
  app.post("/logout", requireConsole, async (c) => {
    const form = await readForm(c, z.object({ _csrf: CsrfFieldSchema }));
    await requireFormCsrf(c, form._csrf);
    endSession(c);
    return c.redirect("/admin/login", 303);
  });

  app.get("/", requireConsole, async (c) => {
    const shop = shopQuery(c);
    const get = (path: string) => callAdminApi(c, hubFetch, path);
    const [slo, metrics, alerts, breakers, deadLetters, cronRuns, inventoryDrift, priceBooks] =
      await Promise.all([
        get(`/admin/api/slo${shop.first}`),
        get(`/admin/api/metrics${shop.first}`),
        get(`/admin/api/alerts?status=open${shop.rest}`),
        get("/admin/api/breakers"),
        get(`/admin/api/dead-letters?status=open&limit=20${shop.rest}`),
        get(`/admin/api/cron-runs?limit=10${shop.rest}`),
        get(`/admin/api/inventory/drift${shop.first}`),
        get(`/admin/api/prices/versions${shop.first}`),
      ]);
    const data = {
      slo,
      metrics,
      alerts,
      breakers,
      deadLetters,
      cronRuns,
      inventoryDrift,
      priceBooks,
    };
    return c.html(
      page(
        c,
        "Overview",
        <>
          <Notice text={c.req.query("notice")} />
          <Overview data={data} csrfToken={c.var.csrfToken} canOperate={canOperate(c)} />
        </>,
      ),
    );
  });

  app.get("/dead-letters", requireConsole, async (c) => {
    const status = z
      .enum(["open", "replayed", "discarded"])
      .catch("open")
      .parse(c.req.query("status"));
    const result = await callAdminApi(
      c,
      hubFetch,
      `/admin/api/dead-letters?status=${status}&limit=100${shopQuery(c).rest}`,
    );
    return c.html(
      page(
        c,
        "Dead letters",
        <>
          <Notice text={c.req.query("notice")} />
          <DeadLettersPage
            status={status}
            result={result}
            csrfToken={c.var.csrfToken}
            canOperate={canOperate(c)}
          />
        </>,
      ),
    );
  });

  app.post("/dead-letters/:id/replay", requireConsole, async (c) => {
    const id = z.string().uuid().safeParse(c.req.param("id"));
    if (!id.success) throw new ProblemError(404, "not_found", "No such dead letter");
    const form = await readForm(
      c,
      z.object({
        _csrf: CsrfFieldSchema,
        shop: ShopDomainSchema.optional(),
        returnTo: ReturnToSchema,
      }),
    );
    const shop = form.shop ? `?shop=${encodeURIComponent(form.shop)}` : "";
    const result = await callAdminApi(
      c,
      hubFetch,
      `/admin/api/dead-letters/${id.data}/replay${shop}`,
      {
        method: "POST",
        csrfToken: form._csrf,
      },
    );
    return afterAction(c, result, form.returnTo, `Dead letter ${id.data} replayed.`);
  });

  app.post("/breakers/:connector/reset", requireConsole, async (c) => {
    const connector = z
      .string()
      .regex(/^[a-z]{1,20}$/)
      .safeParse(c.req.param("connector"));
    if (!connector.success) throw new ProblemError(404, "unknown_connector", "No such connector");
    const form = await readForm(c, z.object({ _csrf: CsrfFieldSchema }));
    const result = await callAdminApi(c, hubFetch, `/admin/api/breakers/${connector.data}/reset`, {
      method: "POST",
      csrfToken: form._csrf,
    });
    return afterAction(c, result, "/admin", `Breaker ${connector.data} reset to closed.`);
  });

  app.get("/orders", requireConsole, async (c) => {
    const query = z
      .string()
      .max(100)
      .catch("")
      .parse(c.req.query("q") ?? "");
    const timelines = query.trim()
      ? await findOrderTimelines(c.var.db, query, c.var.admin.shops)
      : undefined;
    return c.html(page(c, "Order lookup", <OrderLookupPage query={query} timelines={timelines} />));
  });

  app.get("/audit", requireConsole, async (c) => {
    const field = z.string().max(200).catch("");
    const search = {
      actor: field.parse(c.req.query("actor") ?? ""),
      action: field.parse(c.req.query("action") ?? ""),
      subject: field.parse(c.req.query("subject") ?? ""),
    };
    const params = new URLSearchParams({ limit: "100" });
    for (const [key, value] of Object.entries(search)) if (value) params.set(key, value);
    const result = await callAdminApi(c, hubFetch, `/admin/api/audit?${params}`);
    return c.html(page(c, "Audit log", <AuditPage search={search} result={result} />));
  });

  return app;
}

/** Signs the browser in, or sends it to the login page for every page but login itself. */
const requireConsole = createMiddleware<ConsoleEnv>(async (c, next) => {
  const principal = await consolePrincipal(c, c.var.settings);
  if (!principal) {
    if (c.req.method === "GET") {
      c.res = c.redirect("/admin/login", 303);
      return;
    }
    throw new ProblemError(401, "not_signed_in", "Sign in to the console first");
  }
  const secret = c.var.settings.CONSOLE_SESSION_SECRET;
  c.set("admin", principal);
  c.set(
    "csrfToken",
    secret && principal.csrfKey ? await csrfTokenFor(secret, principal.csrfKey) : "",
  );
  c.set("logger", c.var.logger.with({ admin: principal.name, adminVia: principal.via }));
  await next();
});

async function login(c: Context<ConsoleEnv>) {
  const settings = c.var.settings;
  const secret = settings.CONSOLE_SESSION_SECRET;
  if (!secret) {
    throw new ProblemError(
      503,
      "console_login_disabled",
      "Console token login is off",
      "Set the CONSOLE_SESSION_SECRET secret to turn it on.",
    );
  }
  const form = await readForm(c, z.object({ token: z.string().min(1).max(512) }));

  // Check every configured token so the time taken does not reveal which one matched.
  let match: string | undefined;
  for (const candidate of settings.ADMIN_TOKENS) {
    if (await sameSecret(form.token, candidate.token)) match = candidate.name;
  }
  if (!match) {
    c.var.logger.warn("console login refused");
    return c.html(loginPage(c, "That token is not recognised."), 401);
  }

  await startSession(c, secret, match, settings.CONSOLE_SESSION_TTL_SECONDS);
  await auditOrLog(c.var.db, c.var.logger, {
    actor: `admin:${match}`,
    action: "console.login",
    subject: "console",
    before: null,
    after: { via: "session", traceId: c.var.trace.traceId },
  });
  c.var.logger.info("console login", { admin: match });
  return c.redirect("/admin", 303);
}

async function requireFormCsrf(c: Context<ConsoleEnv>, presented: string): Promise<void> {
  if (!(await sameSecret(presented, c.var.csrfToken)) || c.var.csrfToken === "") {
    throw new ProblemError(403, "csrf_failed", "CSRF token missing or wrong");
  }
}

function afterAction(
  c: Context<ConsoleEnv>,
  result: Awaited<ReturnType<typeof callAdminApi>>,
  returnTo: string,
  success: string,
) {
  if (result.kind === "ok") {
    const separator = returnTo.includes("?") ? "&" : "?";
    return c.redirect(`${returnTo}${separator}notice=${encodeURIComponent(success)}`, 303);
  }
  const status = result.kind === "absent" ? 404 : result.status;
  const detail = result.kind === "absent" ? "No such route." : result.detail;
  return c.html(
    page(
      c,
      "Action failed",
      <>
        <Notice kind="error" text={detail} />
        <p>
          <a href={returnTo}>Back</a>
        </p>
      </>,
    ),
    status === 401 || status === 403 || status === 404 || status === 409 || status === 422
      ? status
      : 502,
  );
}

function page(c: Context<ConsoleEnv>, title: string, children: Child) {
  return (
    <Layout
      title={title}
      nonce={c.get("secureHeadersNonce") ?? ""}
      principal={c.var.admin}
      csrfToken={c.var.csrfToken}
    >
      {children}
    </Layout>
  );
}

function loginPage(c: Context<ConsoleEnv>, error?: string) {
  return (
    <LoginPage
      nonce={c.get("secureHeadersNonce") ?? ""}
      error={error}
      accessEnabled={accessConfig(c.var.settings) !== undefined}
      loginEnabled={c.var.settings.CONSOLE_SESSION_SECRET !== undefined}
    />
  );
}

function canOperate(c: Context<ConsoleEnv>): boolean {
  return c.var.admin.scopes.includes("operate");
}

/**
 * The shop filter a page passes on: the `?shop=` chosen, else for a shop-restricted
 * user their first shop (the API refuses restricted users without one).
 */
function shopQuery(c: Context<ConsoleEnv>): { first: string; rest: string } {
  const chosen = ShopDomainSchema.safeParse(c.req.query("shop"));
  const allowed = c.var.admin.shops;
  const shop =
    chosen.success && (!allowed || allowed.includes(chosen.data)) ? chosen.data : allowed?.[0];
  if (!shop) return { first: "", rest: "" };
  const value = encodeURIComponent(shop);
  return { first: `?shop=${value}`, rest: `&shop=${value}` };
}
