import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { BENCH_ERP_SIGNING_SECRET, BENCH_OMS_SIGNING_SECRET } from "../lib/bench-identity.mjs";
import { ROOT_DIR } from "../lib/paths.mjs";
import { ownBundle, startWorkerd } from "../lib/workerd.mjs";

const ENTRY = fileURLToPath(new URL("./sandbox.worker.mjs", import.meta.url));

/**
 * @typedef {object} SandboxHandle
 * @property {string} url  origin with a trailing slash; `${url}erp` is the hub's ERP_URL
 * @property {import("../lib/workerd.mjs").LogTally} logs
 * @property {(path: string, init?: { method?: string, body?: unknown }) => Promise<any>} control
 *   a control-API call (`/_control/...`, `/shopify/_control/...`); throws unless 2xx
 * @property {() => Promise<void>} stop
 */

/**
 * The dev sandbox (ERP, OMS, Shopify stand-in; docs/sandbox.md) as a Worker of its own in
 * workerd, started like the hub: bundled once, served from workerd's socket, with the
 * bench's signing secrets. Its Shopify stand-in plays a Plus shop (sandbox.worker.mjs).
 * @returns {Promise<SandboxHandle>}
 */
export async function startSandbox() {
  const config = unstable_readConfig({ config: join(ROOT_DIR, "sandbox", "wrangler.toml") });
  const bundle = await bundleSandbox();

  return ownBundle(bundle, async () => {
    const workerd = await startWorkerd({
      name: "sandbox",
      modules: [{ type: "ESModule", path: bundle.mainModule }],
      modulesRoot: bundle.dir,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      bindings: {
        ERP_SIGNING_SECRET: BENCH_ERP_SIGNING_SECRET,
        OMS_SIGNING_SECRET: BENCH_OMS_SIGNING_SECRET,
      },
    });
    return {
      url: workerd.url,
      logs: workerd.logs,
      control: (path, init) => callControl(workerd.url, path, init),
      stop: () => workerd.stop(),
    };
  });
}

/**
 * Bundles sandbox.worker.mjs (and the sandbox's TypeScript under it) with the esbuild
 * wrangler itself uses, for workerd: ES modules, `workerd`/`worker` export conditions.
 */
async function bundleSandbox() {
  const wranglerRequire = createRequire(createRequire(import.meta.url).resolve("wrangler"));
  const esbuild = wranglerRequire("esbuild");
  const dir = await mkdtemp(join(tmpdir(), "sandbox-bench-bundle-"));
  const mainModule = join(dir, "index.js");

  try {
    await esbuild.build({
      entryPoints: [ENTRY],
      outfile: mainModule,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      external: ["cloudflare:*", "node:*"],
      logLevel: "silent",
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error("could not bundle the sandbox", { cause: error });
  }
  return { dir, mainModule, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function callControl(baseUrl, path, { method = "GET", body } = {}) {
  const response = await fetch(new URL(path.replace(/^\//, ""), baseUrl), {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text);
}
