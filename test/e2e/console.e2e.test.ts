import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser";
import { E2E_OPERATOR_TOKEN, E2E_SHOP, type RunningHub, startHub } from "./support/hub";

const ORDER_ID = "6401928374650";
const DEAD_LETTER_ID = "6f1c1e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

let hub: RunningHub;
let chromium: { context: BrowserContext; close(): Promise<void> };
let page: Page;

/** An order the hub exported to the ERP and then could not update: one dead letter. */
async function seed(db: RunningHub["db"]) {
  const now = Date.now();
  const envelope = {
    version: 1,
    domain: "customers",
    topic: "customers/update",
    shop: E2E_SHOP,
    webhookId: "e2e-webhook-1",
    eventId: "e2e-event-1",
    triggeredAt: new Date(now - 60_000).toISOString(),
    receivedAt: new Date(now - 59_000).toISOString(),
    apiVersion: "2026-10",
    traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    subjects: { orderId: ORDER_ID },
    payload: { id: 1 },
  };
  await db.batch([
    db
      .prepare(
        "INSERT INTO order_targets (shop, order_id, connector, order_name, status, external_ref, attempts, first_seen_at, exported_at, lag_ms, written_back_at, lease_until, trace_id, updated_at) VALUES (?, ?, 'erp', '#1001', 'exported', 'SO-1001', 1, ?, ?, 950, ?, 0, ?, ?)",
      )
      .bind(E2E_SHOP, ORDER_ID, now - 58_000, now - 57_000, now - 56_000, TRACE_ID, now),
    db
      .prepare(
        "INSERT INTO dead_letters (id, shop, domain, topic, webhook_id, order_id, envelope, error_class, error_code, error_message, attempts, status, replay_count, created_at, updated_at) VALUES (?, ?, 'customers', 'customers/update', 'e2e-webhook-1', ?, ?, 'permanent', 'http_422', 'ERP rejected the update', 1, 'open', 0, ?, ?)",
      )
      .bind(
        DEAD_LETTER_ID,
        E2E_SHOP,
        ORDER_ID,
        JSON.stringify(envelope),
        now - 55_000,
        now - 55_000,
      ),
  ]);
}

beforeAll(async () => {
  hub = await startHub();
  await seed(hub.db);
  chromium = await launchChromium();
  page = await chromium.context.newPage();
});

afterAll(async () => {
  await chromium?.close();
  await hub?.stop();
});

describe("operations console in Chromium", () => {
  it("signs in with an admin token and shows the overview", async () => {
    await page.goto(`${hub.url}/admin`);
    expect(page.url()).toBe(`${hub.url}/admin/login`);

    await page.fill("#token", E2E_OPERATOR_TOKEN);
    await Promise.all([page.waitForURL(`${hub.url}/admin`), page.click("button[type=submit]")]);

    expect(await page.textContent("h1")).toBe("Overview");
    expect(await page.textContent("header")).toContain("e2e-operator (read, operate)");
    expect(await page.locator("#breakers").getAttribute("data-state")).toBe("ok");
    expect(await page.locator(`[data-dead-letter="${DEAD_LETTER_ID}"]`).count()).toBe(1);
  });

  it("finds an order's timeline by its Shopify name", async () => {
    await page.goto(`${hub.url}/admin/orders`);
    await page.fill("#q", "#1001");
    await Promise.all([page.waitForURL(/\/admin\/orders\?q=/), page.press("#q", "Enter")]);

    const timeline = page.locator(`[data-order="${ORDER_ID}"]`);
    expect(await timeline.locator("h2").textContent()).toContain("#1001");
    const kinds = await timeline
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-kind")));
    expect(kinds).toEqual(["written_back", "dead_lettered"]);
    expect(await timeline.textContent()).toContain(TRACE_ID);
  });

  it("replays a dead letter and shows it replayed", async () => {
    await page.goto(`${hub.url}/admin/dead-letters`);
    const row = page.locator(`[data-dead-letter="${DEAD_LETTER_ID}"]`);
    expect(await row.locator(".status").textContent()).toBe("open");

    await Promise.all([page.waitForURL(/notice=/), row.locator("button").click()]);
    expect(await page.textContent("[role=status]")).toContain(
      `Dead letter ${DEAD_LETTER_ID} replayed.`,
    );

    await page.goto(`${hub.url}/admin/dead-letters?status=replayed`);
    const replayed = page.locator(`[data-dead-letter="${DEAD_LETTER_ID}"] .status`);
    expect(await replayed.textContent()).toBe("replayed (1×)");
  });
});
