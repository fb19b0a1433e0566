/** The hub's deploy bundle in a temporary folder. */
export interface HubBundle {
  dir: string;
  mainModule: string;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

/** Bundles the hub exactly as `wrangler deploy` would upload it (`--dry-run --outdir`). */
export function bundleHub(): Promise<HubBundle>;
