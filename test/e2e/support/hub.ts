import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import {
  unstable_getMiniflareWorkerOptions,
  unstable_readConfig,
  unstable_splitSqlQuery,
} from "wrangler";

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
  const outdir = await mkdtemp(join(tmpdir(), "hub-e2e-"));
  await wrangler(["deploy", "--dry-run", "--outdir", outdir]);

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
          modules: [{ type: "ESModule", path: join(outdir, "index.js") }],
          modulesRoot: outdir,
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
    await migrate(db);
    // Miniflare names the Worker as wrangler's options say (not always wrangler.toml's name).
    const name = typeof worker.name === "string" ? worker.name : undefined;
    const url = await miniflare.unsafeGetDirectURL(name);
    return {
      url: url.origin,
      db,
      stop: async () => {
        await miniflare.dispose();
        await rm(outdir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await miniflare.dispose();
    await rm(outdir, { recursive: true, force: true });
    throw error;
  }
}

async function migrate(db: HubDatabase) {
  const dir = join(ROOT, "migrations");
  const files = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  for (const file of files) {
    const statements = unstable_splitSqlQuery(await readFile(join(dir, file), "utf8"));
    const nonEmpty = statements.filter((statement) => statement.trim());
    await db.batch(nonEmpty.map((statement) => db.prepare(statement)));
  }
}

/** Runs the wrangler CLI on this Node (22): the `.bin` shim would take the first on PATH. */
function wrangler(args: string[]): Promise<void> {
  const cli = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}
