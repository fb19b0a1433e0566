// The inventory scenario's own knobs (bench/README.md, "Inventory"), read from the
// environment like every BENCH_* setting.

const DEFAULTS = { orders: 1000, skus: 1000, capSeconds: 60 };

/**
 * @param {Record<string, string>} hubVars  wrangler.toml's [vars]: the debounce defaults
 *   to what the hub ships with
 * @returns {{ orders: number, skus: number, debounceMs: number, capSeconds: number }}
 */
export function readInventoryOptions(hubVars, env = process.env) {
  const problems = [];
  const read = (name, fallback) => {
    const raw = env[name]?.trim();
    const value = raw ? Number(raw) : fallback;
    if (!Number.isInteger(value) || value <= 0) {
      problems.push(`${name} must be a whole number > 0, got "${raw}"`);
    }
    return value;
  };

  const options = {
    orders: read("BENCH_INVENTORY_ORDERS", DEFAULTS.orders),
    skus: read("BENCH_INVENTORY_SKUS", DEFAULTS.skus),
    debounceMs: read("BENCH_INVENTORY_DEBOUNCE_MS", Number(hubVars.INVENTORY_PUSH_DEBOUNCE_MS)),
    capSeconds: read("BENCH_INVENTORY_CAP", DEFAULTS.capSeconds),
  };
  // The SKU numbering and the stand-in's item ids leave room for this many.
  if (options.skus > 99_999) problems.push("BENCH_INVENTORY_SKUS must be at most 99999");
  if (problems.length > 0) throw new Error(`Invalid bench settings:\n  ${problems.join("\n  ")}`);
  return options;
}
