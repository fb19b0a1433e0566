import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { BENCH_DIR, ROOT_DIR } from "./paths.mjs";

const RESULTS_DIR = join(BENCH_DIR, "results");

/**
 * Writes the run as `bench/results/<ISO timestamp>.json` and again as `latest.json`, so a
 * history accumulates locally and tools can always read the newest run at a fixed path.
 * Colons are replaced in the file name because some file systems refuse them.
 *
 * @returns {Promise<string[]>} the written paths, relative to the repository root
 */
export async function writeResults(run) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const stamped = join(RESULTS_DIR, `${run.startedAt.replaceAll(":", "-")}.json`);
  const latest = join(RESULTS_DIR, "latest.json");

  await writeFile(stamped, json);
  await writeFile(latest, json);
  return [stamped, latest].map((path) => relative(ROOT_DIR, path));
}
