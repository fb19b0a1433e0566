import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { ROOT_DIR } from "./paths.mjs";

/**
 * wrangler.toml's top-level (local) configuration, parsed by wrangler itself so the bench
 * reads bindings, vars and compatibility settings exactly as deploy and dev do.
 */
export function readHubConfig() {
  return unstable_readConfig({ config: join(ROOT_DIR, "wrangler.toml") });
}
