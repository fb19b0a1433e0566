import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ itself; payloads and results live under it. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository root, where wrangler.toml and migrations/ are. */
export const ROOT_DIR = join(BENCH_DIR, "..");
