import { describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "../../src/config/settings";
import { envWith, fetchWith } from "../support/env";

describe("loadSettings", () => {
  it("parses the test configuration", () => {
    const settings = loadSettings(envWith({}));
    expect(settings.SHOPS).toEqual(["test-shop.myshopify.com", "other-shop.myshopify.com"]);
    expect(settings.WEBHOOK_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(settings.ADMIN_TOKENS.map((token) => token.name)).toEqual(["operator", "viewer"]);
  });

  it("names every bad setting, never its value", () => {
    const broken = envWith({
      SHOPIFY_API_SECRET: "",
      SHOPS: "not a shop",
      QUEUE_MAX_ATTEMPTS: "-1",
      ERP_URL: "ftp//nope",
    });
    try {
      loadSettings(broken);
      expect.unreachable("invalid settings must throw");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).problems.join("\n");
      for (const name of ["SHOPIFY_API_SECRET", "SHOPS", "QUEUE_MAX_ATTEMPTS", "ERP_URL"])
        expect(message).toContain(name);
    }
  });

  it("answers 500 problem+json naming the setting", async () => {
    const response = await fetchWith(
      envWith({ ADMIN_TOKENS: "not json" }),
      new Request("https://hub.test/health"),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { reason: string; detail: string };
    expect(body.reason).toBe("misconfigured");
    expect(body.detail).toContain("ADMIN_TOKENS");
  });
});
