import { startWorkerd } from "../lib/workerd.mjs";

// The floor: a Worker that does nothing but answer. Whatever the hub adds on top of this
// (HMAC, header checks, D1 dedupe, the queue send) is the hub's own cost.
const BARE_WORKER_SCRIPT = `export default { fetch: () => new Response("ok") };`;

/**
 * A bare Worker in workerd, started exactly like the hub (same Miniflare, same direct
 * socket, same compatibility date and flags), so the ratio between them is fair.
 *
 * @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compatibility
 */
export function bareWorkerTarget(compatibility) {
  return {
    id: "bare",
    label: "bare Worker",
    async start() {
      const workerd = await startWorkerd({
        name: "bare",
        modules: true,
        script: BARE_WORKER_SCRIPT,
        ...compatibility,
      });
      return { url: workerd.url, logs: workerd.logs, stop: workerd.stop };
    },
  };
}
