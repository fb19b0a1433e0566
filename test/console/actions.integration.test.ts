import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { getDeadLetter } from "../../src/db/dead-letters";
import { csrfTokenIn, formPost, HUB_ORIGIN, page, signIn, VIEWER_TOKEN } from "../support/console";
import { parkComplianceLetter } from "../support/dead-letters";
import { envWith, fetchWith, recordingQueue } from "../support/env";

const db = openDatabase(env.DB);

async function parkedLetter(): Promise<string> {
  const { id } = await parkComplianceLetter(db, {
    errorCode: "http_422",
    errorMessage: "ERP rejected the customer",
  });
  return id;
}

function setup() {
  const queue = recordingQueue(env.COMPLIANCE_QUEUE);
  const testEnv = envWith({ COMPLIANCE_QUEUE: queue });
  const fetcher = (request: Request) => fetchWith(testEnv, request);
  return { queue, fetcher };
}

describe("console operator actions", () => {
  it("replays a dead letter with one click and shows it replayed", async () => {
    const { queue, fetcher } = setup();
    const id = await parkedLetter();
    const cookie = await signIn(undefined, fetcher);
    const html = await (await page("/admin/dead-letters", cookie, fetcher)).text();
    expect(html).toContain(`data-dead-letter="${id}"`);
    expect(html).toContain("permanent");

    const response = await fetcher(
      formPost(
        `/admin/dead-letters/${id}/replay`,
        {
          _csrf: csrfTokenIn(html),
          shop: "test-shop.myshopify.com",
          returnTo: "/admin/dead-letters",
        },
        { cookie },
      ),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/admin\/dead-letters\?notice=/);
    expect((await getDeadLetter(db, id))?.status).toBe("replayed");
    expect(queue.sent).toHaveLength(1);
  });

  it("refuses a replay whose CSRF token is wrong", async () => {
    const { queue, fetcher } = setup();
    const id = await parkedLetter();
    const cookie = await signIn(undefined, fetcher);

    const response = await fetcher(
      formPost(`/admin/dead-letters/${id}/replay`, { _csrf: "forged" }, { cookie }),
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("CSRF token missing or wrong");
    expect((await getDeadLetter(db, id))?.status).toBe("open");
    expect(queue.sent).toHaveLength(0);
  });

  it("refuses a read-only user's replay", async () => {
    const { fetcher } = setup();
    const id = await parkedLetter();
    const cookie = await signIn(VIEWER_TOKEN, fetcher);
    const html = await (await page("/admin", cookie, fetcher)).text();

    const response = await fetcher(
      formPost(`/admin/dead-letters/${id}/replay`, { _csrf: csrfTokenIn(html) }, { cookie }),
    );
    expect(response.status).toBe(403);
    expect((await getDeadLetter(db, id))?.status).toBe("open");
  });

  it("lets the admin API take the session cookie, but needs X-CSRF-Token to change state", async () => {
    const { fetcher } = setup();
    const id = await parkedLetter();
    const cookie = await signIn(undefined, fetcher);
    const api = (path: string, init: RequestInit = {}) =>
      fetcher(
        new Request(`${HUB_ORIGIN}/admin/api${path}`, {
          ...init,
          headers: { cookie, ...init.headers },
        }),
      );

    expect((await api("/dead-letters")).status).toBe(200);
    const refused = await api(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ reason: "csrf_failed" });

    const html = await (await page("/admin", cookie, fetcher)).text();
    const accepted = await api(`/dead-letters/${id}/replay`, {
      method: "POST",
      headers: { "x-csrf-token": csrfTokenIn(html) },
    });
    expect(accepted.status).toBe(202);
  });
});
