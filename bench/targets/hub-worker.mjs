import { join } from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { BENCH_ADMIN_TOKENS, BENCH_API_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";
import { applyMigrations } from "../lib/d1-migrations.mjs";
import { ROOT_DIR } from "../lib/paths.mjs";
import { ownBundle, startWorkerd } from "../lib/workerd.mjs";
import { bundleHub } from "./hub-bundle.mjs";

/**
 * The hub itself: its deploy bundle in workerd, with every binding wrangler.toml declares
 * at top level (D1, R2, queue producers and consumers, Durable Objects, crons), the
 * [vars], and bench secrets in place of .dev.vars. Queue consumers run during the load,
 * as they would in production.
 *
 * @param {{ config: object, logLevel?: string, bindings?: Record<string, string>,
 *   consumers?: boolean }} options
 *   `config` from readHubConfig(); `logLevel` overrides [vars] LOG_LEVEL; `bindings`
 *   override any var or secret (a scenario pointing ERP_URL at its sandbox, say);
 *   `consumers: false` leaves out the queue consumers, so messages stay queued and the run
 *   measures the HTTP side alone
 */
export function hubTarget({ config, logLevel, bindings, consumers = true }) {
  return {
    id: consumers ? "hub" : "hub-ingest",
    label: consumers ? "hub (workerd)" : "hub, consumers off",
    async start() {
      const bundle = await bundleHub();
      return ownBundle(bundle, async () => {
        const { queueConsumers, ...options } = hubWorkerOptions(config, bundle, logLevel, bindings);
        const worker = consumers ? { ...options, queueConsumers } : options;
        const workerd = await startWorkerd(worker);
        const db = await workerd.miniflare.getD1Database("DB");
        await applyMigrations(db, migrationsDir(config));

        return {
          url: workerd.url,
          logs: workerd.logs,
          ledger: () => readLedger(db),
          // The run's D1 database, for scenarios that check more than `ledger()` reads.
          db,
          stop: () => workerd.stop(),
        };
      });
    },
  };
}

function hubWorkerOptions(config, bundle, logLevel, overrides = {}) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);

  // The bundle is already built, so wrangler's module rules do not apply (and Miniflare 5
  // rejects them). Its bindings include the developer's .dev.vars; the bench replaces them.
  const { modulesRules: _rules, bindings: _devBindings, ...worker } = workerOptions;
  return {
    ...worker,
    modules: [{ type: "ESModule", path: bundle.mainModule }],
    modulesRoot: bundle.dir,
    bindings: {
      ...config.vars,
      SHOPS: [config.vars.SHOPS, BENCH_SHOP].filter(Boolean).join(","),
      SHOPIFY_API_SECRET: BENCH_API_SECRET,
      ADMIN_TOKENS: BENCH_ADMIN_TOKENS,
      ...(logLevel ? { LOG_LEVEL: logLevel } : {}),
      ...overrides,
    },
  };
}

function migrationsDir(config) {
  const database = config.d1_databases.find((binding) => binding.binding === "DB");
  return join(ROOT_DIR, database?.migrations_dir ?? "migrations");
}

/**
 * What the hub recorded, read straight from D1: receipts by status and completed
 * compliance requests. The scenario compares these with the 2xx answers it counted, so a
 * fast answer that skipped the work would show.
 */
async function readLedger(db) {
  const receipts = await db
    .prepare("SELECT status, COUNT(*) AS count FROM webhook_receipts GROUP BY status")
    .all();
  const compliance = await db
    .prepare("SELECT COUNT(*) AS count FROM compliance_requests")
    .first("count");
  const deadLetters = await db.prepare("SELECT COUNT(*) AS count FROM dead_letters").first("count");

  return {
    receipts: Object.fromEntries(receipts.results.map((row) => [row.status, row.count])),
    complianceRequests: compliance,
    deadLetters,
  };
}
