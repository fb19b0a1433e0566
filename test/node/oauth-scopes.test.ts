import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "../../src/shopify/admin/documents";
import * as inventoryDocuments from "../../src/shopify/admin/inventory-documents";
import {
  DEFAULT_OAUTH_SCOPES,
  OauthScopesSchema,
  SCOPE_ALLOW_LIST,
} from "../../src/shopify/oauth/scopes";

const root = join(import.meta.dirname, "../..");

/** The operation name of every Admin GraphQL document the hub sends. */
function operationNames(): string[] {
  return Object.values({ ...documents, ...inventoryDocuments }).flatMap((document) =>
    parse(document).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name
        ? [definition.name.value]
        : [],
    ),
  );
}

/** Every OAUTH_SCOPES value wrangler.toml sets, in any environment. */
function configuredScopeLists(): string[] {
  const wrangler = readFileSync(join(root, "wrangler.toml"), "utf8");
  return [...wrangler.matchAll(/^OAUTH_SCOPES\s*=\s*"([^"]*)"/gm)].map((match) => match[1] ?? "");
}

const operations = operationNames();
const allowList = Object.entries(SCOPE_ALLOW_LIST);

describe("the OAuth scope allow-list against the hub's Admin documents", () => {
  it.each(allowList)("%s names only operations the hub sends", (_scope, entry) => {
    expect(entry.operations.length).toBeGreaterThan(0);
    for (const operation of entry.operations) expect(operations).toContain(operation);
  });

  it.each(operations)("%s is covered by some allowed scope", (operation) => {
    const covering = allowList.filter(([, entry]) =>
      (entry.operations as readonly string[]).includes(operation),
    );

    expect(covering.map(([scope]) => scope)).not.toEqual([]);
  });

  it("asks by default for every scope some operation needs, writes standing in for reads", () => {
    const needed = new Set(
      allowList.filter(([scope]) => scope !== "read_all_orders").map(([s]) => s),
    );
    for (const scope of DEFAULT_OAUTH_SCOPES) needed.delete(scope);
    for (const scope of DEFAULT_OAUTH_SCOPES) needed.delete(scope.replace(/^write_/, "read_"));

    expect([...needed]).toEqual([]);
  });

  it("keeps every OAUTH_SCOPES in wrangler.toml within the allow-list", () => {
    const lists = configuredScopeLists();

    expect(lists).toHaveLength(3);
    for (const list of lists) expect(OauthScopesSchema.safeParse(list).success).toBe(true);
  });
});
