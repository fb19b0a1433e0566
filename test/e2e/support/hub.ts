import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
// The bench starts the hub the same way; both build and migrate it with the same code.
import { applyMigrations } from "../../../bench/lib/d1-migrations.mjs";
import { bundleHub } from "../../../bench/targets/hub-bundle.mjs";

const ROOT = join(import.meta.dirname, "../../..");

export const E2E_SHOP = "dev-shop.myshopify.com";
export const E2E_OPERATOR_TOKEN = "e2e-operator-token-0123456789";

type HubDatabase = Awaited<ReturnType<Miniflare["getD1Database"]>>;

export interface RunningHub {
  url: string;
  db: HubDatabase;
  stop(): Promise<void>;
}

/**
 * The hub's deploy bundle (exactly what `wrangler deploy` uploads) in workerd through
 * Miniflare, with wrangler.toml's local bindings, a fresh D1 with every migration, and
 * test secrets. Served on a loopback port of its own.
 */
export async function startHub(): Promise<RunningHub> {
  const bundle = await bundleHub();

  const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const { modulesRules: _rules, bindings: _devVars, ...worker } = workerOptions;
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      log: new Log(LogLevel.WARN),
      cf: false,
      handleStructuredLogs: () => {},
      workers: [
        {
          ...worker,
          modules: [{ type: "ESModule", path: bundle.mainModule }],
          modulesRoot: bundle.dir,
          bindings: {
            ...config.vars,
            SHOPIFY_API_SECRET: "e2e-shopify-secret",
            ADMIN_TOKENS: JSON.stringify([
              { name: "e2e-operator", token: E2E_OPERATOR_TOKEN, scopes: ["read", "operate"] },
            ]),
            CONSOLE_SESSION_SECRET: "e2e-console-session-secret-0123456789abcdef",
            // Nothing listens here: queue consumers that call out fail fast and retry.
            ERP_URL: "http://127.0.0.1:9/erp",
            OMS_URL: "http://127.0.0.1:9/oms",
          },
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        },
      ],
    }),
  );

  try {
    await miniflare.ready;
    const db = await miniflare.getD1Database("DB");
    await applyMigrations(db, join(ROOT, "migrations"));
    // Miniflare names the Worker as wrangler's options say (not always wrangler.toml's name).
    const name = typeof worker.name === "string" ? worker.name : undefined;
    const url = await miniflare.unsafeGetDirectURL(name);
    return {
      url: url.origin,
      db,
      stop: async () => {
        await miniflare.dispose();
        await bundle.remove();
      },
    };
  } catch (error) {
    await miniflare.dispose();
    await bundle.remove();
    throw error;
  }
}
