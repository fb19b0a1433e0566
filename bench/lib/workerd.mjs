import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";

/** How many warning/error log lines a run keeps verbatim for the report. */
const KEPT_PROBLEM_LINES = 5;

/**
 * Starts one Worker in workerd through Miniflare's API and returns the URL of a socket
 * that workerd serves directly from that Worker: no `wrangler dev` proxy and no
 * Miniflare entry Worker in the request path, the closest local stand-in for production.
 *
 * `worker` is a Miniflare v4-style worker description (the shape wrangler's
 * `unstable_getMiniflareWorkerOptions` produces); the installed Miniflare 5 converts it.
 *
 * @returns {Promise<{ url: string, miniflare: Miniflare, logs: LogTally, stop: () => Promise<void> }>}
 */
export async function startWorkerd(worker) {
  const logs = createLogTally();
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      // Miniflare's own warnings (bad bindings, runtime restarts) must stay visible.
      log: new Log(LogLevel.WARN),
      // No `request.cf` download from Cloudflare: the bench runs offline, and the
      // placeholder Miniflare falls back to is the same for every target.
      cf: false,
      // The Worker's console lines arrive here instead of on stdout: the bench output
      // stays readable and warnings still reach the report.
      handleStructuredLogs: logs.record,
      workers: [{ ...worker, unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] }],
    }),
  );

  try {
    await miniflare.ready;
    const url = await miniflare.unsafeGetDirectURL(worker.name);
    return { url: url.toString(), miniflare, logs, stop: () => miniflare.dispose() };
  } catch (error) {
    await miniflare.dispose();
    throw error;
  }
}

/**
 * @typedef {object} LogTally
 * @property {(log: { level: string, message: string }) => void} record
 * @property {() => { lines: number, problems: number, examples: string[] }} summary
 * @property {() => void} reset  forget lines so far, e.g. those a deliberate bad request caused
 */

/**
 * Counts a Worker's log lines and keeps the first few warnings and errors. The hub logs
 * JSON lines whose own `level` field says how bad they are; anything workerd itself
 * reports at warn or error counts too.
 * @returns {LogTally}
 */
function createLogTally() {
  let lines = 0;
  let problems = 0;
  const examples = [];

  return {
    record({ level, message }) {
      lines += 1;
      if (!isProblem(level, message)) return;
      problems += 1;
      if (examples.length < KEPT_PROBLEM_LINES) examples.push(message);
    },
    summary: () => ({ lines, problems, examples: [...examples] }),
    reset() {
      lines = 0;
      problems = 0;
      examples.length = 0;
    },
  };
}

function isProblem(workerdLevel, message) {
  if (workerdLevel === "warn" || workerdLevel === "error") return true;
  if (!message.startsWith("{")) return false;
  try {
    const { level } = JSON.parse(message);
    return level === "warn" || level === "error";
  } catch {
    return false; // Not one of the hub's JSON lines: judged by workerd's level alone.
  }
}

/**
 * Runs `start` (which starts a Worker from `bundle`) and ties the bundle's temporary folder
 * to what it returns: the folder is removed when `start` fails, and after the handle's own
 * `stop` otherwise.
 *
 * @template {{ stop: () => Promise<void> }} H
 * @param {{ remove: () => Promise<void> }} bundle
 * @param {() => Promise<H>} start
 * @returns {Promise<H>}
 */
export async function ownBundle(bundle, start) {
  try {
    const handle = await start();
    return {
      ...handle,
      stop: async () => {
        await handle.stop();
        await bundle.remove();
      },
    };
  } catch (error) {
    await bundle.remove();
    throw error;
  }
}
