// `npm run dev`: prepares local state on a fresh clone, then runs the hub under `wrangler dev`.
//
// 1. copies .dev.vars.example to .dev.vars when .dev.vars is missing;
// 2. applies the D1 migrations to the local database (.wrangler/state);
// 3. starts every dev service (the hub, and the sandbox ERP/OMS/Shopify stand-in on 8790)
//    and stops them all together.
//
// PORT overrides the hub's port (default 8787). npm runs this on Node 22 from node_modules.
import { spawn } from "node:child_process";
import { constants, copyFileSync, existsSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const DEFAULT_PORT = 8787;
// The sandbox's port is fixed: .dev.vars.example points ERP_URL, OMS_URL and
// SHOPIFY_ADMIN_URL at it.
const SANDBOX_PORT = 8790;
// Each `wrangler dev` opens a devtools inspector; the hub keeps wrangler's default (9229)
// and the sandbox takes the next one so the two never race for the same port.
const SANDBOX_INSPECTOR_PORT = 9230;
// Wrangler refuses to start below this version (see node_modules/wrangler/bin/wrangler.js).
const MIN_NODE = [22, 12];
// How long a service gets to shut down after SIGTERM before it is killed.
const STOP_GRACE_MS = 10_000;
const ORPHAN_CHECK_MS = 1_000;
// The hub's only cron today (wrangler.toml [triggers]), shown in the banner as an example.
const EXAMPLE_CRON = "0+3+*+*+*";

await main();

async function main() {
  checkToolchain();
  const port = parsePort(process.env.PORT);

  ensureDevVars();

  console.log("[dev] applying D1 migrations to the local database");
  const migrated = await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local"], {
    // Wrangler asks for confirmation before applying; in CI mode it takes the default (yes).
    env: { ...process.env, CI: "true" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (migrated !== 0) fail(`wrangler d1 migrations apply exited with ${migrated}`);

  printBanner(port);
  process.exitCode = await superviseAll(devServices(port));
}

/**
 * Every long-running process `npm run dev` starts. They start together, and when one exits
 * (or Ctrl-C arrives) the others are stopped. The sandbox (docs/sandbox.md) plays the ERP,
 * the OMS and the Shopify Admin API in its own `wrangler dev -c sandbox/wrangler.toml`, so
 * it never enters the hub's bundle; .dev.vars points ERP_URL/OMS_URL/SHOPIFY_ADMIN_URL at it.
 */
function devServices(port) {
  return [
    {
      name: "hub",
      command: WRANGLER,
      args: ["dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled"],
    },
    {
      name: "sandbox",
      command: WRANGLER,
      // Not interactive: only the hub's wrangler should read hotkeys from the terminal.
      args: [
        "dev",
        "-c",
        "sandbox/wrangler.toml",
        "--port",
        String(SANDBOX_PORT),
        "--ip",
        "127.0.0.1",
        "--inspector-port",
        String(SANDBOX_INSPECTOR_PORT),
        "--show-interactive-dev-session=false",
      ],
    },
  ];
}

function checkToolchain() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    fail(
      `Node ${process.versions.node} is too old for wrangler (needs ${MIN_NODE.join(".")}+). Run \`npm run dev\`: npm scripts use the Node 22 from node_modules.`,
    );
  }
  if (!existsSync(WRANGLER))
    fail("node_modules/.bin/wrangler is missing; run `npm install` first.");
}

function parsePort(raw) {
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    fail(`PORT must be an integer between 1 and 65535, got "${raw}"`);
  }
  if (port === SANDBOX_PORT) fail(`PORT ${SANDBOX_PORT} is the sandbox's; pick another`);
  return port;
}

function ensureDevVars() {
  const target = join(ROOT, ".dev.vars");
  if (existsSync(target)) return;

  // COPYFILE_EXCL: never overwrite a .dev.vars that appeared in the meantime.
  copyFileSync(join(ROOT, ".dev.vars.example"), target, constants.COPYFILE_EXCL);
  console.log("[dev] created .dev.vars from .dev.vars.example (local-only secrets, git-ignored)");
}

function printBanner(port) {
  const base = `http://127.0.0.1:${port}`;
  console.log(`[dev] starting the hub on ${base}`);
  console.log(`[dev]   health:   curl ${base}/health`);
  const urlOption = port === DEFAULT_PORT ? "" : ` --url ${base}`;
  console.log(`[dev]   webhook:  npm run webhook -- orders/create orders-create-b2b${urlOption}`);
  console.log(`[dev]   cron:     curl "${base}/__scheduled?cron=${EXAMPLE_CRON}"`);
  const sandbox = `http://127.0.0.1:${SANDBOX_PORT}`;
  console.log(`[dev] starting the sandbox (ERP, OMS, Shopify stand-in) on ${sandbox}`);
  console.log(`[dev]   routes:   curl ${sandbox}/`);
  console.log(`[dev]   orders:   curl "${sandbox}/_control/orders?target=erp"`);
  console.log(`[dev]   docs:     docs/sandbox.md`);
}

/** Runs one command to completion; resolves to its exit code (128 + n when killed by signal n). */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, ...options });
    child.on("error", (error) => fail(`could not start ${command}: ${error.message}`));
    child.on("exit", (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

/**
 * Starts each service with the terminal's stdio and resolves, once all have exited, to the
 * exit code of the first one that stopped. SIGINT/SIGTERM/SIGHUP are forwarded to every
 * service (on Ctrl-C the terminal signals them too; a repeated signal is harmless).
 */
function superviseAll(services) {
  return new Promise((resolve) => {
    const running = new Map();
    let firstExit;

    const stopAll = (signal) => {
      for (const child of running.values()) child.kill(signal);
      setTimeout(() => {
        for (const child of running.values()) child.kill("SIGKILL");
      }, STOP_GRACE_MS).unref();
    };

    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
      process.on(signal, () => {
        firstExit ??= exitCodeOf(null, signal);
        stopAll(signal);
      });
    }

    // `kill <npm pid>` stops npm and its `sh`, but not us: the signal is not passed on. A
    // changed parent pid means we were orphaned, so stop everything rather than linger.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid === parent) return;
      firstExit ??= exitCodeOf(null, "SIGHUP");
      stopAll("SIGTERM");
    }, ORPHAN_CHECK_MS).unref();

    for (const service of services) {
      const child = spawn(service.command, service.args, { cwd: ROOT, stdio: "inherit" });
      running.set(service.name, child);

      child.on("error", (error) => console.error(`[dev] ${service.name}: ${error.message}`));
      child.on("exit", (code, signal) => {
        running.delete(service.name);
        if (firstExit === undefined) {
          firstExit = exitCodeOf(code, signal);
          console.log(`[dev] ${service.name} exited (${firstExit}); stopping the rest`);
          stopAll("SIGTERM");
        }
        if (running.size === 0) resolve(firstExit);
      });
    }
  });
}

function exitCodeOf(code, signal) {
  if (code !== null) return code;
  return 128 + (osConstants.signals[signal] ?? 0);
}

function fail(message) {
  console.error(`[dev] ${message}`);
  process.exit(1);
}
