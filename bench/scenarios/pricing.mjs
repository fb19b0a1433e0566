import { BENCH_ERP_SIGNING_SECRET, BENCH_SHOP } from "../lib/bench-identity.mjs";
import { progress } from "../lib/harness.mjs";
import { readHubConfig } from "../lib/hub-config.mjs";
import { runLoad } from "../lib/load.mjs";
import { summarise } from "../lib/percentiles.mjs";
import { bareWorkerTarget } from "../targets/bare-worker.mjs";
import { hubTarget } from "../targets/hub-worker.mjs";
import { bookChanges, fullPublishChange, sendChanges } from "./pricing.book.mjs";
import { cartBody, resolveRequest, sequentialLatency, timedOnce } from "./pricing.samples.mjs";
import { pricingTables, pricingVerdicts } from "./pricing.tables.mjs";

const API_KEY = "bench-pricing-key-0123456789abcdef";
const CART_SIZES = [1, 10, 50];
// Currencies new to the book, one per cold round: each forces a full publish.
const COLD_CURRENCIES = ["EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK", "PLN"];
// Per cart size: sequential latency, then closed-loop throughput (keeps the scenario ≈ 60 s).
const LATENCY_SECONDS = 4;
const THROUGHPUT_SECONDS = 4;

/**
 * Price resolution (`POST /v1/prices/resolve`) for 1-, 10- and 50-line carts of a
 * realistic book, beside a bare Worker in the same run.
 * - warm: the isolate holds every bucket the cart needs (1 KV read, the pointer).
 * - cold: the first resolve after a full publish, i.e. a new generation whose pointer and
 *   buckets the isolate has never read (1 pointer read + 1 bulk read + parsing), sampled
 *   once per publish, three publishes per cart size.
 * Latency is measured one request at a time, so it holds no queueing; the hub's server-side
 * cost is estimated as its latency minus the bare Worker's. Throughput is closed-loop with
 * BENCH_CONNECTIONS connections.
 */
export const pricing = {
  name: "pricing",
  title: "Price resolution (POST /v1/prices/resolve), warm and cold, 1/10/50-line carts",

  /** @param {import("../lib/options.mjs").BenchOptions} options */
  async run(options) {
    const config = readHubConfig();
    const problems = [];

    progress("pricing: bare Worker");
    const bareHandle = await bareWorkerTarget({
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
    }).start();
    const bareRequest = { method: "POST", path: "/", headers: {}, body: cartBody(50) };
    let bare;
    try {
      bare = await sequentialLatency(bareHandle.url, bareRequest, LATENCY_SECONDS);
      bare.load = await runLoad({
        url: bareHandle.url,
        request: bareRequest,
        connections: options.connections,
        durationSeconds: THROUGHPUT_SECONDS,
      });
    } finally {
      await bareHandle.stop();
    }

    progress("pricing: hub, seeding the book");
    const hub = await hubTarget({
      config: withoutApiRateLimit(config),
      logLevel: options.hubLogLevel ?? "error",
      bindings: hubBindings(),
    }).start();
    const rows = [];
    try {
      for (const changes of bookChanges()) await sendChanges(hub.url, changes);

      for (const lines of CART_SIZES) {
        progress(`pricing: ${lines}-line cart, warm`);
        const request = resolveRequest(cartBody(lines), API_KEY);
        await sequentialLatency(hub.url, request, 1); // warms the isolate
        const warm = await sequentialLatency(hub.url, request, LATENCY_SECONDS);
        const load = await runLoad({
          url: hub.url,
          request,
          connections: options.connections,
          durationSeconds: THROUGHPUT_SECONDS,
        });
        collectProblems(problems, `${lines}-line warm`, warm.failures, load);
        rows.push({ lines, warm: warm.latencyMs, load });
      }

      let round = 0;
      for (const row of rows) {
        progress(`pricing: ${row.lines}-line cart, cold`);
        const samples = [];
        for (let i = 0; i < 3; i += 1) {
          const currency = COLD_CURRENCIES[round];
          round += 1;
          const outcome = await sendChanges(hub.url, fullPublishChange(currency));
          if (outcome.published !== "full")
            problems.push(`cold round ${currency} published ${outcome.published}, not full`);
          const sample = await timedOnce(hub.url, resolveRequest(cartBody(row.lines, i), API_KEY));
          if (sample.status !== 200)
            problems.push(`cold ${row.lines}-line resolve answered ${sample.status}`);
          else if (JSON.parse(sample.text).version !== outcome.version)
            problems.push(`cold resolve did not see version ${outcome.version}`);
          samples.push(sample.ms);
        }
        row.cold = summarise(samples);
      }
    } finally {
      await hub.stop();
    }

    const targets = [
      { id: "bare", label: "bare Worker", problems: [], load: bare.load },
      { id: "hub", label: "hub (workerd)", problems, load: rows.at(-1)?.load },
    ];
    return {
      name: this.name,
      title: this.title,
      settings: { skus: 5000, contractSkus: 2000, promotions: 3, connections: options.connections },
      targets,
      tables: pricingTables(bare, rows),
      measurements: { bare: { latencyMs: bare.latencyMs, load: bare.load }, carts: rows },
      verdicts: pricingVerdicts(bare, rows),
    };
  },
};

/**
 * The config with the `/v1/*` limiter (300 requests per 10 s per client IP) lifted: every
 * bench request comes from one IP, and the scenario measures resolving, not the limiter.
 */
function withoutApiRateLimit(config) {
  return {
    ...config,
    ratelimits: config.ratelimits.map((limit) =>
      limit.name === "RATE_LIMIT_API"
        ? { ...limit, simple: { limit: 10_000_000, period: 10 } }
        : limit,
    ),
  };
}

function hubBindings() {
  return {
    // The change endpoint needs the ERP connector configured; no call goes to this URL
    // (PRICING_ERP_QUOTES stays disabled).
    ERP_URL: "https://erp.bench.invalid",
    ERP_SIGNING_SECRET: BENCH_ERP_SIGNING_SECRET,
    PRICING_API_KEYS: JSON.stringify([{ name: "bench", key: API_KEY, shops: [BENCH_SHOP] }]),
  };
}

function collectProblems(problems, label, failures, load) {
  for (const [status, count] of Object.entries(failures))
    problems.push(`${label}: ${count} × HTTP ${status}`);
  if (load.non2xx > 0) problems.push(`${label} load: ${load.non2xx} non-2xx`);
  if (load.errors > 0) problems.push(`${label} load: ${load.errors} errors`);
}
