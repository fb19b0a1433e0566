// `npm run bench`: runs every benchmark scenario against the hub and its baselines, prints
// a report and writes it as JSON under bench/results/. bench/README.md explains the
// settings and how to read the numbers.
//
// Exit code: 0 when every run was clean (targets met or not), 1 when any run had errors or
// non-2xx answers, because then the numbers measure something else; 2 on a crash.
import { describeMachine } from "./lib/machine.mjs";
import { readOptions } from "./lib/options.mjs";
import { formatRunHeader, formatScenario, scenarioProblems } from "./lib/report.mjs";
import { writeResults } from "./lib/results.mjs";
import { SCENARIOS } from "./scenarios/index.mjs";

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`\nbench crashed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 2;
}

async function main() {
  const options = readOptions();
  const scenarios = selectScenarios(options.scenarios);
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  console.log(formatRunHeader(machine, options));

  const results = [];
  for (const scenario of scenarios) {
    const result = await scenario.run(options);
    results.push(result);
    console.log(formatScenario(result));
  }

  const problems = results.flatMap(scenarioProblems);
  const written = await writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options,
    clean: problems.length === 0,
    scenarios: results,
  });
  console.log(`\nwrote ${written.join(" and ")}`);

  if (problems.length > 0) {
    console.error(`\n!! ${problems.length} problem(s) above: this run is not a clean measurement.`);
    return 1;
  }
  return 0;
}

function selectScenarios(names) {
  if (!names) return SCENARIOS;
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    const known = SCENARIOS.map((scenario) => scenario.name).join(", ");
    throw new Error(`Unknown BENCH_SCENARIOS ${unknown.join(", ")}; known: ${known}`);
  }
  return SCENARIOS.filter((scenario) => names.includes(scenario.name));
}
