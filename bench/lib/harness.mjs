import { runLoad, runPacedLoad } from "./load.mjs";

// Quiet time between a target's saturation run and its steady run.
const PACED_SETTLE_MS = 5_000;

/**
 * @typedef {object} Target
 * @property {string} id      short key used in ratios and JSON ("hub", "bare", "node")
 * @property {string} label   what the table shows
 * @property {() => Promise<TargetHandle>} start
 *
 * @typedef {object} TargetHandle
 * @property {string} url
 * @property {() => Promise<void>} stop
 * @property {import("./workerd.mjs").LogTally} [logs]  present for Workers
 *
 * @typedef {object} TargetResult
 * @property {string} id
 * @property {string} label
 * @property {import("./load.mjs").LoadResult} load     the measured run
 * @property {import("./load.mjs").LoadResult | undefined} warmup
 * @property {import("./load.mjs").LoadResult | undefined} paced  the run at `plan.pacedRate`
 * @property {{ lines: number, problems: number, examples: string[] } | undefined} logs
 * @property {unknown} [details]    what the scenario's inspections found
 * @property {string[]} problems    anything that makes the numbers untrustworthy
 */

/**
 * @typedef {{ details?: Record<string, unknown>, problems?: string[] }} Inspection
 */

/**
 * Measures one target the same way every time: start it, let the scenario check it,
 * warm it up unmeasured, measure, let the scenario inspect it, stop it. Targets run one
 * after another, never side by side, so each gets the whole machine.
 *
 * With `pacedRate`, a second measured run follows, open-loop at that many requests per second:
 * latency at a steady arrival rate the target keeps up with, beside latency at saturation.
 * `beforePaced` lets the target finish the first run's background work before it starts,
 * and every target then gets {@link PACED_SETTLE_MS} of quiet.
 *
 * `beforeLoad` suits deliberate bad requests: the Worker log lines they cause are
 * forgotten before the load starts. `afterLoad` runs before the target stops: the place
 * to check it really did the work.
 *
 * @param {Target} target
 * @param {{ request: object, options: import("./options.mjs").BenchOptions,
 *   beforeLoad?: (handle: TargetHandle) => Promise<Inspection>,
 *   afterLoad?: (handle: TargetHandle, runs: { warmup?: object, load: object, paced?: object }) =>
 *     Promise<Inspection>, pacedRate?: number,
 *   beforePaced?: (handle: TargetHandle) => Promise<void> }} plan
 * @returns {Promise<TargetResult>}
 */
export async function measureTarget(
  target,
  { request, options, beforeLoad, afterLoad, pacedRate, beforePaced },
) {
  const { connections, warmupSeconds, durationSeconds } = options;
  progress(`${target.label}: starting`);
  const handle = await target.start();

  try {
    const before = beforeLoad ? await beforeLoad(handle) : {};
    handle.logs?.reset();

    let warmup;
    if (warmupSeconds > 0) {
      progress(`${target.label}: warming up for ${warmupSeconds} s`);
      warmup = await runLoad({
        url: handle.url,
        request,
        connections,
        durationSeconds: warmupSeconds,
      });
    }

    progress(`${target.label}: measuring ${connections} connections for ${durationSeconds} s`);
    const load = await runLoad({ url: handle.url, request, connections, durationSeconds });

    let paced;
    if (pacedRate) {
      await beforePaced?.(handle);
      // Work the saturation run left behind (deferred tasks, garbage collection) lasts a
      // few seconds and would land on the steady run's first requests.
      await new Promise((resolve) => setTimeout(resolve, PACED_SETTLE_MS));
      progress(`${target.label}: measuring a steady ${pacedRate} req/s for ${durationSeconds} s`);
      paced = await runPacedLoad({ url: handle.url, request, rate: pacedRate, durationSeconds });
    }
    const after = afterLoad ? await afterLoad(handle, { warmup, load, paced }) : {};
    const logs = handle.logs?.summary();
    const details =
      before.details || after.details ? { ...before.details, ...after.details } : undefined;

    return {
      id: target.id,
      label: target.label,
      load,
      warmup,
      paced,
      logs,
      ...(details ? { details } : {}),
      problems: [
        ...loadProblems("warm-up", warmup),
        ...loadProblems("run", load),
        ...loadProblems("paced run", paced),
        ...logProblems(logs),
        ...(before.problems ?? []),
        ...(after.problems ?? []),
      ],
    };
  } finally {
    await handle.stop();
  }
}

/** Non-2xx answers and connection errors in a run: the run measured something else. */
function loadProblems(phase, result) {
  if (!result) return [];
  const problems = [];
  if (result.non2xx > 0) {
    problems.push(
      `${phase}: ${result.non2xx} non-2xx responses ${JSON.stringify(result.statusCodes)}`,
    );
  }
  if (result.errors > 0) {
    problems.push(`${phase}: ${result.errors} connection errors (${result.timeouts} timeouts)`);
  }
  if (result.responses === 0) problems.push(`${phase}: no responses at all`);
  return problems;
}

function logProblems(logs) {
  if (!logs || logs.problems === 0) return [];
  return [
    `${logs.problems} warning/error log lines, e.g.:\n      ${logs.examples.join("\n      ")}`,
  ];
}

/** Progress goes to stderr so stdout carries only the report. */
export function progress(message) {
  process.stderr.write(`  … ${message}\n`);
}
