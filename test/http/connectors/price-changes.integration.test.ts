import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listAudit } from "../../../src/audit/query";
import { verifyAuditChain } from "../../../src/audit/verify";
import { openDatabase } from "../../../src/db/client";
import { readPointer } from "../../../src/pricing/load";
import { BASE_BOOK, signedErpRequest } from "../../support/pricing";

const SHOP = "test-shop.myshopify.com";
const URL = "https://hub.test/connectors/erp/price-changes";
const db = openDatabase(env.DB);

const send = (body: unknown, secret?: string) =>
  exports.default.fetch(signedErpRequest(URL, body, secret));

describe("POST /connectors/erp/price-changes", () => {
  it("applies signed changes as a new version, audits them and publishes", async () => {
    const response = await send({ shop: SHOP, changes: BASE_BOOK });
    const body = (await response.json()) as { version: number; changes: number };
    const pointer = await readPointer(env.PRICES, SHOP);
    const audit = await listAudit(db, {
      actor: "connector:erp",
      subject: `${SHOP}/companies/100`,
      limit: 10,
    });

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: "applied", changes: 11, published: "full" });
    expect(pointer?.version).toBe(body.version);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "assignment.created", before: null });
  });

  it("records old and new values of a price change", async () => {
    const change = {
      type: "entries.upsert",
      entries: [
        { priceListId: "list-usd", sku: "SKU-A", tiers: [{ minQuantity: 1, unitPrice: "10.50" }] },
      ],
    };
    const response = await send({ shop: SHOP, changes: [change] });
    const [entry] = await listAudit(db, {
      subject: `${SHOP}/price-lists/list-usd/skus/SKU-A`,
      limit: 1,
    });

    expect(await response.json()).toMatchObject({
      status: "applied",
      changes: 1,
      published: "incremental",
    });
    expect(entry?.action).toBe("price_entry.updated");
    expect(JSON.parse(entry?.before ?? "null")).toMatchObject({
      currency: "USD",
      tiers: [
        { minQuantity: 1, unitPrice: "10.00" },
        { minQuantity: 10, unitPrice: "9.00" },
      ],
    });
    expect(JSON.parse(entry?.after ?? "null")).toMatchObject({
      tiers: [{ minQuantity: 1, unitPrice: "10.50" }],
    });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("replaces a company's assignment with a new one", async () => {
    await send({
      shop: SHOP,
      changes: [
        {
          type: "priceList.upsert",
          priceList: { id: "contract-new", kind: "contract", currency: "USD" },
        },
        { type: "assignment.set", assignment: { priceListId: "contract-new", companyId: "100" } },
      ],
    });
    const [entry] = await listAudit(db, { subject: `${SHOP}/companies/100`, limit: 1 });

    expect(entry?.action).toBe("assignment.updated");
    expect(JSON.parse(entry?.after ?? "null")).toMatchObject({ priceListId: "contract-new" });
  });

  it("answers a repeated delivery as unchanged", async () => {
    const response = await send({ shop: SHOP, changes: [BASE_BOOK[0]] });

    expect(await response.json()).toEqual({ status: "unchanged", changes: 0 });
  });

  it("refuses an unsigned or wrongly signed request", async () => {
    const response = await send(
      { shop: SHOP, changes: [BASE_BOOK[0]] },
      "whsec_d3JvbmctZXJwLXNpZ25pbmctc2VjcmV0LTAxMjM0NTY3OA==",
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "invalid_signature" });
  });

  it.each([
    [
      "an entry on an unknown list",
      {
        type: "entries.upsert",
        entries: [{ priceListId: "nope", sku: "X", tiers: [{ minQuantity: 1, unitPrice: "1" }] }],
      },
      "unknown_price_list",
    ],
    [
      "an assignment to a list price list",
      { type: "assignment.set", assignment: { priceListId: "list-usd", companyId: "7" } },
      "not_a_contract_list",
    ],
    [
      "a second list price list in a currency",
      { type: "priceList.upsert", priceList: { id: "list-usd-2", kind: "list", currency: "USD" } },
      "duplicate_list_price_list",
    ],
    [
      "more decimals than the currency has",
      {
        type: "entries.upsert",
        entries: [
          { priceListId: "list-jpy", sku: "X", tiers: [{ minQuantity: 1, unitPrice: "1.5" }] },
        ],
      },
      "invalid_amount",
    ],
  ])("answers 422 for %s", async (_label, change, reason) => {
    const response = await send({ shop: SHOP, changes: [change] });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      reason,
      field: expect.stringMatching(/^changes\.0/),
    });
  });

  it("answers 400 naming the field of a malformed change", async () => {
    const response = await send({
      shop: SHOP,
      changes: [
        {
          type: "entries.upsert",
          entries: [
            { priceListId: "list-usd", sku: "A", tiers: [{ minQuantity: 2, unitPrice: "1" }] },
          ],
        },
      ],
    });
    const body = (await response.json()) as { errors: { field: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors[0]?.field).toBe("changes.0.entries.0.tiers");
  });
});
