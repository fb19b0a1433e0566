// Makes sure the console's end-to-end tests (test/e2e) have a Chromium to drive before
// `npm test` runs them. They use Debian's package through playwright-core, because
// Playwright's own browser download needs a CDN this project's machines cannot reach.
//
// Where Chromium is missing and the machine can install Debian packages (root, apt-get),
// it is installed; anywhere else the script stops with what to do instead.
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (isExecutable(chromium)) process.exit(0);

if (process.env.CHROMIUM_PATH) {
  fail(`CHROMIUM_PATH is set to ${chromium}, which is not an executable file.`);
}
if (process.platform !== "linux" || process.getuid?.() !== 0 || !onPath("apt-get")) {
  fail(
    "Chromium is not at /usr/bin/chromium. Install it (on Debian or Ubuntu: " +
      "`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
}

console.log("Chromium is missing; installing Debian's package for the console's e2e tests…");
const apt = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
execFileSync("apt-get", ["update", "-qq"], apt);
execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], apt);
if (!isExecutable(chromium)) fail("apt-get installed chromium, but /usr/bin/chromium is missing.");

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`npm test: ${message}`);
  process.exit(1);
}
