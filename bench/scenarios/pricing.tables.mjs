// The pricing scenario's tables and verdicts (pure string building).

// The target: under 10 ms server-side at p95 for a 50-line cart on a warm cache.
const WARM_P95_BUDGET_MS = 10;

const ms = (value) => (Number.isFinite(value) ? value.toFixed(2) : "—");

/** Latency (one request at a time) and throughput (closed loop) per cart size. */
export function pricingTables(bare, rows) {
  const latency = {
    header: ["target", "p50 ms", "p95 ms", "p99 ms", "max ms", "p95 − bare", "samples"],
    rows: [
      [
        "bare Worker",
        ms(bare.latencyMs.p50),
        ms(bare.latencyMs.p95),
        ms(bare.latencyMs.p99),
        ms(bare.latencyMs.max),
        "—",
        String(bare.latencyMs.count),
      ],
      ...rows.flatMap(({ lines, warm, cold }) => [
        [
          `hub ${lines}-line warm`,
          ms(warm.p50),
          ms(warm.p95),
          ms(warm.p99),
          ms(warm.max),
          ms(warm.p95 - bare.latencyMs.p95),
          String(warm.count),
        ],
        [
          `hub ${lines}-line cold`,
          ms(cold.p50),
          ms(cold.p95),
          ms(cold.p99),
          ms(cold.max),
          ms(cold.p95 - bare.latencyMs.p95),
          String(cold.count),
        ],
      ]),
    ],
  };
  const throughput = {
    header: ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx", "errors"],
    rows: [
      ["bare Worker", ...loadCells(bare.load)],
      ...rows.map(({ lines, load }) => [`hub ${lines}-line warm`, ...loadCells(load)]),
    ],
  };
  return [latency, throughput];
}

function loadCells(load) {
  return [
    load.requestsPerSecond.toFixed(0),
    ms(load.latencyMs.p50),
    ms(load.latencyMs.p95),
    ms(load.latencyMs.p99),
    String(load.non2xx),
    String(load.errors),
  ];
}

export function pricingVerdicts(bare, rows) {
  const fifty = rows.find((row) => row.lines === 50);
  const serverP95 = fifty ? fifty.warm.p95 - bare.latencyMs.p95 : NaN;
  return [
    {
      goal: `50-line warm resolve: server-side p95 (hub − bare Worker) < ${WARM_P95_BUDGET_MS} ms`,
      measured: `${ms(serverP95)} ms (hub ${ms(fifty?.warm.p95)} ms, bare ${ms(bare.latencyMs.p95)} ms)`,
      pass: serverP95 < WARM_P95_BUDGET_MS,
    },
  ];
}
