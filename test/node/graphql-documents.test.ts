import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
  Kind,
  parse,
  validate,
} from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "../../src/shopify/admin/documents";
import * as inventoryDocuments from "../../src/shopify/admin/inventory-documents";
import * as priceListDocuments from "../../src/shopify/admin/price-list-documents";

const root = join(import.meta.dirname, "../..");

function pinnedApiVersion(): string {
  const wrangler = readFileSync(join(root, "wrangler.toml"), "utf8");
  const match = wrangler.match(/^SHOPIFY_API_VERSION\s*=\s*"([^"]+)"/m);
  if (!match?.[1]) throw new Error("wrangler.toml has no top-level SHOPIFY_API_VERSION");
  return match[1];
}

function loadAdminSchema(version: string): GraphQLSchema {
  // @shopify/dev-mcp ships the introspection of every supported Admin API version.
  const file = join(root, `node_modules/@shopify/dev-mcp/dist/data/admin_${version}.json.gz`);
  const json: { data?: IntrospectionQuery } & Partial<IntrospectionQuery> = JSON.parse(
    gunzipSync(readFileSync(file)).toString("utf8"),
  );
  const introspection = json.data ?? json;
  if (!introspection.__schema) throw new Error(`${file} holds no introspection result`);
  return buildClientSchema(introspection as IntrospectionQuery);
}

function problemsIn(schema: GraphQLSchema, document: string): string[] {
  return validate(schema, parse(document)).map((error) => error.message);
}

const version = pinnedApiVersion();
const schema = loadAdminSchema(version);
const exported = Object.entries({ ...documents, ...inventoryDocuments, ...priceListDocuments });

describe(`src/shopify/admin/documents against the Admin API ${version} schema`, () => {
  it("exports documents to check", () => {
    expect(exported.length).toBeGreaterThanOrEqual(6);
  });

  it.each(exported)("%s validates", (_name, document) => {
    expect(problemsIn(schema, document)).toEqual([]);
  });

  it.each(exported)("%s holds exactly one named operation", (_name, document) => {
    const definitions = parse(document).definitions;
    expect(definitions).toHaveLength(1);
    const [definition] = definitions;
    expect(definition?.kind).toBe(Kind.OPERATION_DEFINITION);
    if (definition?.kind === Kind.OPERATION_DEFINITION) {
      expect(definition.name?.value).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });

  it("rejects a document with a field the schema lacks, so the check is not vacuous", () => {
    const wrong = documents.ORDERS_UPDATED_SINCE.replace("updatedAt", "updatedAtt");

    expect(problemsIn(schema, wrong)).toEqual([
      expect.stringContaining('Cannot query field "updatedAtt" on type "Order"'),
    ]);
  });

  it("sends inventorySetQuantities with the @idempotent key the 2026-04+ schema requires", () => {
    const directive = schema.getDirective("idempotent");

    expect(directive?.args.map((arg) => `${arg.name}: ${String(arg.type)}`)).toEqual([
      "key: String!",
    ]);
    expect(inventoryDocuments.INVENTORY_SET_AVAILABLE).toMatch(
      /inventorySetQuantities\(input: \$input\) @idempotent\(key: \$idempotencyKey\)/,
    );
    expect(
      problemsIn(
        schema,
        inventoryDocuments.INVENTORY_SET_AVAILABLE.replace("@idempotent", "@idempotentt"),
      ),
    ).toEqual([expect.stringContaining('Unknown directive "@idempotentt"')]);
  });

  it("rejects a document with a wrongly typed variable", () => {
    const wrong = documents.PAYOUTS_SINCE.replace("$first: Int!", "$first: String!");

    expect(problemsIn(schema, wrong).join("\n")).toContain('Variable "$first" of type "String!"');
  });
});
