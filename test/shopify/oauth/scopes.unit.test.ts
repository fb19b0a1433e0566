import { describe, expect, it } from "vitest";
import {
  DEFAULT_OAUTH_SCOPES,
  missingScopes,
  OauthScopesSchema,
  SCOPE_ALLOW_LIST,
} from "../../../src/shopify/oauth/scopes";

describe("OauthScopesSchema", () => {
  it("parses a comma list on the allow-list, trimming and dropping duplicates", () => {
    expect(OauthScopesSchema.parse(" read_orders, write_inventory,read_orders ")).toEqual([
      "read_orders",
      "write_inventory",
    ]);
  });

  it("falls back to the default scopes when empty", () => {
    expect(OauthScopesSchema.parse("")).toEqual(DEFAULT_OAUTH_SCOPES);
  });

  it("refuses a scope that is not on the allow-list, naming it", () => {
    const parsed = OauthScopesSchema.safeParse("read_orders,write_products");

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(
      '"write_products" is not on the scope allow-list',
    );
  });

  it("keeps the defaults on the allow-list", () => {
    for (const scope of DEFAULT_OAUTH_SCOPES) expect(SCOPE_ALLOW_LIST).toHaveProperty(scope);
  });
});

describe("missingScopes", () => {
  it.each([
    [["read_orders"], ["write_orders"], []],
    [["write_orders", "read_locations"], ["write_orders"], ["read_locations"]],
    [["write_inventory"], ["read_inventory"], ["write_inventory"]],
  ])("requested %j, granted %j: missing %j", (requested, granted, missing) => {
    expect(missingScopes(requested, granted)).toEqual(missing);
  });
});
