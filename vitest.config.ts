import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Two projects: "workers" runs inside workerd with the real bindings from wrangler.toml
 * (D1, R2, Queues, ...), "node" runs checks that need the file system (schema vs
 * migrations, GraphQL documents vs Shopify's published schema).
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");

  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  SHOPS: "test-shop.myshopify.com,other-shop.myshopify.com",
                  SHOPIFY_API_SECRET: "test-secret-current",
                  SHOPIFY_API_SECRET_PREVIOUS: "test-secret-previous",
                  ADMIN_TOKENS: JSON.stringify([
                    {
                      name: "operator",
                      token: "operator-token-0123456789",
                      scopes: ["read", "operate"],
                    },
                    { name: "viewer", token: "viewer-token-0123456789ab", scopes: ["read"] },
                  ]),
                  LOG_LEVEL: "debug",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            silent: "passed-only",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
            setupFiles: ["./test/support/apply-migrations.ts"],
          },
        },
        {
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts"],
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
