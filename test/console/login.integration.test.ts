import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listAudit } from "../../src/audit/query";
import { openDatabase } from "../../src/db/client";
import { formPost, HUB_ORIGIN, page, randomIp, signIn, VIEWER_TOKEN } from "../support/console";

const db = openDatabase(env.DB);

describe("console login", () => {
  it("sends a visitor without a session to the login page", async () => {
    const response = await exports.default.fetch(
      new Request(`${HUB_ORIGIN}/admin`, { redirect: "manual" }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/login");
  });

  it("serves the login page with a strict CSP and no caching", async () => {
    const response = await exports.default.fetch(new Request(`${HUB_ORIGIN}/admin/login`));
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain('name="token"');
  });

  it("refuses an unknown token without setting a cookie", async () => {
    const response = await exports.default.fetch(
      formPost(
        "/admin/login",
        { token: "not-a-token-0123456789" },
        { "cf-connecting-ip": randomIp() },
      ),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain("not recognised");
  });

  it("exchanges a token for an HttpOnly, Secure, SameSite=Strict host cookie and audits it", async () => {
    const response = await exports.default.fetch(
      formPost("/admin/login", { token: VIEWER_TOKEN }, { "cf-connecting-ip": randomIp() }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-hub_console=/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Max-Age=28800");

    const [entry] = await listAudit(db, { action: "console.login", limit: 1 });
    expect(entry).toMatchObject({ actor: "admin:viewer", subject: "console" });
  });

  it("shows the overview to a signed-in user, with absent modules marked not available", async () => {
    const cookie = await signIn(VIEWER_TOKEN);
    const response = await page("/admin", cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("viewer (read)");
    expect(html).toContain('id="breakers" data-state="ok"');
    expect(html).toContain('id="dead-letters" data-state="ok"');
    expect(html).toMatch(/id="price-books" data-state="(absent|ok)"/);
    // A read-only user sees no operator buttons.
    expect(html).not.toContain(">Replay<");
  });

  it("refuses a tampered or forged session cookie", async () => {
    const cookie = await signIn(VIEWER_TOKEN);
    const [name, value = ""] = cookie.split("=");
    const decoded = decodeURIComponent(value).replace('"token":"viewer"', '"token":"operator"');
    const response = await page("/admin", `${name}=${encodeURIComponent(decoded)}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/login");
  });

  it("logs out with the CSRF token and clears the cookie", async () => {
    const cookie = await signIn(VIEWER_TOKEN);
    const html = await (await page("/admin", cookie)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

    const refused = await exports.default.fetch(
      formPost("/admin/logout", { _csrf: "wrong" }, { cookie }),
    );
    expect(refused.status).toBe(403);

    const response = await exports.default.fetch(
      formPost("/admin/logout", { _csrf: csrf }, { cookie }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toMatch(/__Host-hub_console=;.*Max-Age=0/);
  });

  it("rejects a cross-origin form post before looking at the token", async () => {
    const response = await exports.default.fetch(
      formPost(
        "/admin/login",
        { token: VIEWER_TOKEN },
        { origin: "https://evil.test", "cf-connecting-ip": randomIp() },
      ),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("limits login attempts per client to 10 a minute with a 429 problem", async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const response = await exports.default.fetch(
        formPost("/admin/login", { token: "wrong-token-0123456789" }, { "cf-connecting-ip": ip }),
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toBe("60");
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        expect(await response.json()).toMatchObject({
          reason: "rate_limited",
          retryAfterSeconds: 60,
        });
      }
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
