import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT_DIR } from "../lib/paths.mjs";

/**
 * Bundles the hub exactly as `wrangler deploy` would upload it (`--dry-run --outdir`), so
 * the bench runs the production bundle rather than wrangler dev's watch build.
 *
 * @returns {Promise<{ dir: string, mainModule: string, remove: () => Promise<void> }>}
 */
export async function bundleHub() {
  const dir = await mkdtemp(join(tmpdir(), "hub-bench-bundle-"));
  try {
    await runWrangler(["deploy", "--dry-run", "--outdir", dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    mainModule: join(dir, "index.js"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs the wrangler CLI on this very Node binary: `node_modules/.bin/wrangler` would pick
 * whatever `node` is first on PATH, and wrangler needs Node 22.
 */
function runWrangler(args) {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve("wrangler/package.json");
  const cli = join(dirname(packageJsonPath), require(packageJsonPath).bin.wrangler);

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: ROOT_DIR,
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
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`wrangler ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}
