// Turns scenario results into the text `npm run bench` prints. Pure string building, so
// the same text could go to a file or a CI summary.

/** The header: what was measured on, and how hard. */
export function formatRunHeader(machine, options) {
  return [
    "shopify-edge-hub benchmark",
    `  machine   ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}`,
    `  runtime   Node ${machine.node}; miniflare ${machine.miniflare} (workerd), wrangler ${machine.wrangler}, autocannon ${machine.autocannon}`,
    `  busy      load average ${machine.loadAverage1m} over the last minute before the run${machine.loadAverage1m > machine.cores / 2 ? " — the machine is busy; expect noisy numbers" : ""}`,
    `  code      commit ${machine.commit}${machine.dirty ? " with uncommitted changes" : ""}`,
    `  load      ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per target, one target at a time`,
  ].join("\n");
}

/**
 * One scenario: settings, its tables, verdicts, and any problem in capitals. A scenario
 * gives its own `tables` ({ header, rows, textColumns? } of strings); without them it is a load run
 * over targets, shown as the req/s and latency table with ratios to its baselines.
 */
export function formatScenario(result) {
  const paced = result.targets.some((target) => target.paced);
  const tables = result.tables ?? [
    loadTable(result, "load", paced ? "at saturation (closed loop)" : undefined),
    ...(paced ? [loadTable(result, "paced", `at a steady ${result.settings.pacedRate}`)] : []),
  ];
  const lines = [
    "",
    `== ${result.title}`,
    `   ${Object.entries(result.settings)
      .map(([key, value]) => `${key}: ${value}`)
      .join(", ")}`,
    "",
    tables.map(formatTable).join("\n\n"),
  ];

  const details = result.targets.filter((target) => target.details);
  for (const target of details) {
    lines.push("", `   ${target.label} checks: ${JSON.stringify(target.details)}`);
  }

  const problems = scenarioProblems(result);
  if (problems.length > 0) {
    lines.push("", "!! INVALID RUN — the numbers below do not measure a clean run:");
    for (const problem of problems) lines.push(`!!   ${problem}`);
  }

  lines.push("", "   targets:");
  for (const verdict of result.verdicts) {
    const mark = verdict.pass ? "PASS" : "MISS";
    lines.push(`   ${mark}  ${verdict.goal}: ${verdict.measured}`);
  }
  return lines.join("\n");
}

/** Every problem of every target, prefixed with its label. */
export function scenarioProblems(result) {
  return result.targets.flatMap((target) =>
    target.problems.map((problem) => `${target.label}: ${problem}`),
  );
}

/** `run` picks the measured run: `load` (saturation) or `paced` (a steady rate). */
function loadTable({ targets, baselines }, run, title) {
  const latencyBase = targets.find((target) => target.id === baselines.latency);
  const throughputBase = targets.find((target) => target.id === baselines.throughput);

  const header = [
    "target",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "non-2xx",
    "errors",
    `p99 ÷ ${baselines.latency}`,
    `req/s ÷ ${baselines.throughput}`,
  ];
  const measured = targets.filter((target) => target[run]);
  const base = (target) => target?.[run];
  const rows = measured.map(({ label, [run]: load }) => [
    label,
    load.requestsPerSecond.toFixed(0),
    load.latencyMs.p50.toFixed(2),
    load.latencyMs.p95.toFixed(2),
    load.latencyMs.p99.toFixed(2),
    load.latencyMs.max.toFixed(2),
    String(load.non2xx),
    String(load.errors),
    ratio(load.latencyMs.p99, base(latencyBase)?.latencyMs.p99),
    ratio(load.requestsPerSecond, base(throughputBase)?.requestsPerSecond),
  ]);
  return { title, header, rows };
}

/** `textColumns` leading columns read left-aligned; the numbers after them right-aligned. */
function formatTable({ title, header, rows, textColumns = 1 }) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const format = (cells) =>
    cells
      .map((cell, column) =>
        column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join("  ");

  return [
    ...(title ? [`   ${title}`] : []),
    `   ${format(header)}`,
    `   ${widths.map((width) => "-".repeat(width)).join("  ")}`,
    ...rows.map((row) => `   ${format(row)}`),
  ].join("\n");
}

function ratio(value, base) {
  return base ? `${(value / base).toFixed(2)}×` : "—";
}
