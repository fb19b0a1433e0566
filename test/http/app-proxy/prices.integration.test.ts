import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../../src/config/settings";
import { handleCustomerEvent } from "../../../src/customers/handle";
import { openDatabase } from "../../../src/db/client";
import { signAppProxyParams } from "../../../src/shopify/app-proxy-signature";
import { buildEnvelope } from "../../support/envelopes";
import { applyAndPublish, BASE_BOOK, logger } from "../../support/pricing";
import { installSandbox, type SandboxHandle } from "../../support/sandbox";
import { SECRET, SHOP } from "../../support/webhooks";

let sandbox: SandboxHandle;

async function proxied(
  params: Record<string, string>,
  options: { secret?: string; timestamp?: number } = {},
) {
  const query = new URLSearchParams({
    shop: SHOP,
    path_prefix: "/apps/prices",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    currency: "USD",
    lines: "SKU-A:2,SKU-B:1",
    ...params,
  });
  query.set("signature", await signAppProxyParams(query, options.secret ?? SECRET));
  return exports.default.fetch(new Request(`https://hub.test/apps/prices/resolve?${query}`));
}

async function directory(topic: string, payload: Record<string, unknown>) {
  const envelope = buildEnvelope({ domain: "customers", topic, payload, subjects: {} });
  await handleCustomerEvent(envelope, {
    env,
    settings: loadSettings(env),
    db: openDatabase(env.DB),
    logger,
  });
}

beforeAll(async () => {
  sandbox = installSandbox();
  await applyAndPublish(SHOP, [
    ...BASE_BOOK,
    {
      type: "priceList.upsert",
      priceList: { id: "contract-globex", kind: "contract", currency: "USD" },
    },
    {
      type: "entries.upsert",
      entries: [
        {
          priceListId: "contract-globex",
          sku: "SKU-A",
          tiers: [{ minQuantity: 1, unitPrice: "1.00" }],
        },
      ],
    },
    {
      type: "assignment.set",
      assignment: { priceListId: "contract-globex", companyLocationId: "2001" },
    },
  ]);
  // Customer 501 buys for Acme (company 100), whose one location is 1001; Globex is 200.
  await directory("company_locations/create", {
    admin_graphql_api_id: "gid://shopify/CompanyLocation/1001",
    company: { admin_graphql_api_id: "gid://shopify/Company/100" },
  });
  await directory("company_locations/create", {
    admin_graphql_api_id: "gid://shopify/CompanyLocation/2001",
    company: { admin_graphql_api_id: "gid://shopify/Company/200" },
  });
  await directory("company_contacts/create", {
    admin_graphql_api_id: "gid://shopify/CompanyContact/9001",
    customer_admin_graphql_api_id: "gid://shopify/Customer/501",
    company: { admin_graphql_api_id: "gid://shopify/Company/100" },
  });
});
afterAll(() => sandbox.restore());

describe("GET /apps/prices/resolve", () => {
  it("resolves the logged-in buyer's own company location prices", async () => {
    const response = await proxied({ logged_in_customer_id: "501" });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      buyer: { companyId: "100", companyLocationId: "1001" },
      lines: [
        { sku: "SKU-A", source: "contract", unitPrice: "7.50" },
        { sku: "SKU-B", source: "list" },
      ],
    });
  });

  it("gives a visitor who is not logged in list prices", async () => {
    const response = await proxied({ logged_in_customer_id: "" });

    expect(await response.json()).toMatchObject({
      buyer: { companyId: null, companyLocationId: null },
      lines: [{ source: "list", unitPrice: "10.00" }, { source: "list" }],
    });
  });

  it("refuses another company's location", async () => {
    const response = await proxied({ logged_in_customer_id: "501", company_location_id: "2001" });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: "location_not_allowed" });
  });

  it("refuses a company location to a visitor who is not logged in", async () => {
    const response = await proxied({ company_location_id: "2001" });

    expect(response.status).toBe(403);
  });

  it("stops pricing a contact once the contact is deleted", async () => {
    await directory("company_contacts/delete", {
      admin_graphql_api_id: "gid://shopify/CompanyContact/9001",
    });

    const response = await proxied({ logged_in_customer_id: "501" });

    expect(await response.json()).toMatchObject({
      buyer: { companyId: null },
      lines: [{ source: "list" }, { source: "list" }],
    });
  });

  it.each([
    ["a signature made with another secret", { secret: "not-the-app-secret" }, "invalid_signature"],
    [
      "a timestamp ten minutes old",
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
      "stale_timestamp",
    ],
  ])("refuses %s", async (_label, options, reason) => {
    const response = await proxied({ logged_in_customer_id: "501" }, options);

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason });
  });

  it("refuses a request whose parameters were changed after signing", async () => {
    const query = new URLSearchParams({
      shop: SHOP,
      timestamp: String(Math.floor(Date.now() / 1000)),
      currency: "USD",
      lines: "SKU-A:1",
      logged_in_customer_id: "501",
    });
    query.set("signature", await signAppProxyParams(query, SECRET));
    query.set("company_location_id", "2001");

    const response = await exports.default.fetch(
      new Request(`https://hub.test/apps/prices/resolve?${query}`),
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "invalid_signature" });
  });

  it("refuses a request without a signature", async () => {
    const response = await exports.default.fetch(
      new Request(`https://hub.test/apps/prices/resolve?shop=${SHOP}`),
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "missing_signature" });
  });

  it("answers 400 naming the field for a malformed line", async () => {
    const response = await proxied({ lines: "SKU-A:two" });
    const body = (await response.json()) as { errors: { field: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors[0]?.field).toBe("lines.0.quantity");
  });
});
