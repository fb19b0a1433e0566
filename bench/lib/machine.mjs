import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT_DIR } from "./paths.mjs";

/**
 * What the numbers were measured on and with. Results from different machines or commits
 * are not comparable, so every report and JSON file carries this.
 */
export function describeMachine() {
  const processors = cpus();
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model ?? "unknown",
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    // Other work on the machine skews every number; a high value here explains a bad run.
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    node: process.version,
    miniflare: packageVersion("miniflare"),
    wrangler: packageVersion("wrangler"),
    autocannon: packageVersion("autocannon"),
    shopifyApi: packageVersion("@shopify/shopify-api"),
    ...gitRevision(),
  };
}

// Read from disk: not every package exports its package.json.
function packageVersion(name) {
  try {
    const path = join(ROOT_DIR, "node_modules", name, "package.json");
    return JSON.parse(readFileSync(path, "utf8")).version;
  } catch {
    return "unknown"; // Only a label in the report; the bench itself fails on a missing package.
  }
}

function gitRevision() {
  try {
    const git = (...args) =>
      execFileSync("git", args, { cwd: ROOT_DIR, encoding: "utf8", stdio: "pipe" }).trim();
    return {
      commit: git("rev-parse", "--short", "HEAD"),
      dirty: git("status", "--porcelain") !== "",
    };
  } catch {
    return { commit: "unknown", dirty: false }; // Not a git checkout (e.g. an unpacked tarball).
  }
}
