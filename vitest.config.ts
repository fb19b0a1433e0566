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
                  CONSOLE_SESSION_SECRET: "test-console-session-secret-0123456789abcdef",
                  // Stock objects push only when a test runs their alarm (with the clock moved on),
                  // never on their own halfway through another test.
                  INVENTORY_PUSH_DEBOUNCE_MS: "60000",
                  // Connectors and Shopify point at the in-memory sandbox that
                  // test/support/sandbox.ts answers for (same secrets as there).
                  ERP_URL: "http://sandbox.test/erp",
                  OMS_URL: "http://sandbox.test/oms",
                  SHOPIFY_ADMIN_URL: "http://sandbox.test/shopify/{shop}",
                  SHOPIFY_ADMIN_TOKENS: JSON.stringify({
                    "test-shop.myshopify.com": "shpat_test_shop_token",
                    "other-shop.myshopify.com": "shpat_other_shop_token",
                  }),
                  // OAuth installs against the sandbox's stand-in (test/shopify/oauth).
                  TOKEN_ENCRYPTION_KEYS: JSON.stringify({
                    "test-1": "dGVzdC1vbmx5LXRva2VuLWtleS1vbmUtMDEyMzQ1Njc=",
                  }),
                  TOKEN_ENCRYPTION_ACTIVE_KID: "test-1",
                  SHOPIFY_API_KEY: "test-client-id",
                  APP_URL: "https://hub.test",
                  PRICING_API_KEYS: JSON.stringify([
                    {
                      name: "headless",
                      key: "pricing-key-test-shop-0123456789",
                      shops: ["test-shop.myshopify.com"],
                    },
                  ]),
                  PRICING_FUNCTION_SECRET: "function-secret-0123456789abcdef",
                  ERP_SIGNING_SECRET: "whsec_dGVzdC1lcnAtc2lnbmluZy1zZWNyZXQtMDEyMzQ1Njc4OQ==",
                  OMS_SIGNING_SECRET: "whsec_dGVzdC1vbXMtc2lnbmluZy1zZWNyZXQtMDEyMzQ1Njc4OQ==",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            silent: "passed-only",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**", "test/e2e/**"],
            setupFiles: ["./test/support/apply-migrations.ts"],
          },
        },
        {
          test: {
            // The console in headless Chromium against the hub in workerd (test/e2e/README).
            name: "e2e",
            environment: "node",
            include: ["test/e2e/**/*.test.ts"],
            testTimeout: 60_000,
            hookTimeout: 90_000,
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
