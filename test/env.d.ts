import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only: the SQL migrations, read by vitest.config.ts and applied per test file. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
