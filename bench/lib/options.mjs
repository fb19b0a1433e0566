// The benchmark's knobs, all read from environment variables so `npm run bench` needs no
// arguments and a CI job can shorten a run without editing files. README.md lists them.

/**
 * @typedef {object} BenchOptions
 * @property {number} durationSeconds   measured load per target
 * @property {number} warmupSeconds     unmeasured load per target first, so JITs are warm
 * @property {number} connections       concurrent keep-alive connections
 * @property {string[] | undefined} scenarios  names to run; undefined runs every scenario
 * @property {string} topic             webhook topic the ingest scenario sends
 * @property {number} ingestRate        req/s of the ingest scenario's steady (paced) run
 * @property {string | undefined} payloadPath  JSON body for that topic; undefined = built-in
 * @property {string | undefined} hubLogLevel  overrides the hub's LOG_LEVEL for the run
 * @property {number} orders            orders per phase of the order-export scenario
 * @property {number} orderRate         orders/s of the order-export scenario's steady phase
 * @property {number} steadyOrders      orders the steady phase sends
 * @property {number} orderFailureRate  share of ERP calls failed in its failure phase
 * @property {number} orderDrainCapSeconds  longest wait for the hub to finish a phase
 */

const DEFAULTS = {
  durationSeconds: 10,
  warmupSeconds: 3,
  // Shopify delivers webhooks to one endpoint from many senders at once; 50 keeps a
  // 2-core machine busy without measuring mostly queueing inside the load generator.
  connections: 50,
  topic: "customers/redact",
  // A flash sale's worth of webhooks for one mid-market shop, and below what the hub
  // sustains locally, so the paced run measures service time rather than a backlog.
  ingestRate: 100,
  // The order-export scenario from the orders issue: 1,000 orders, then again with 30% of
  // ERP calls failing.
  orders: 1000,
  // The 1,000 orders arriving steadily, inside what one local consumer sustains (the
  // burst phases measure that): export lag without a backlog, in about 67 s.
  orderRate: 15,
  steadyOrders: 1000,
  orderFailureRate: 0.3,
  // An order the failure phase fails seven times waits up to 1+2+…+64 = 127 s of backoff
  // (base 1 s) on top of the burst's backlog, so the cap leaves room for that tail.
  orderDrainCapSeconds: 240,
};

/** Reads and checks every BENCH_* variable; throws one error naming every bad value. */
export function readOptions(env = process.env) {
  const problems = [];

  const durationSeconds = positiveNumber(env, "BENCH_DURATION", DEFAULTS.durationSeconds, problems);
  const warmupSeconds = nonNegativeNumber(env, "BENCH_WARMUP", DEFAULTS.warmupSeconds, problems);
  const connections = positiveInteger(env, "BENCH_CONNECTIONS", DEFAULTS.connections, problems);

  const topic = env.BENCH_TOPIC?.trim() || DEFAULTS.topic;
  if (!/^[a-z_]+\/[a-z_]+$/.test(topic)) {
    problems.push(`BENCH_TOPIC must look like orders/create, got "${topic}"`);
  }

  const ingestRate = positiveInteger(env, "BENCH_INGEST_RATE", DEFAULTS.ingestRate, problems);
  const orders = positiveInteger(env, "BENCH_ORDERS", DEFAULTS.orders, problems);
  const orderRate = positiveNumber(env, "BENCH_ORDER_RATE", DEFAULTS.orderRate, problems);
  const steadyOrders = positiveInteger(env, "BENCH_STEADY_ORDERS", DEFAULTS.steadyOrders, problems);
  const orderFailureRate = numberOr(env.BENCH_ORDER_FAILURE_RATE, DEFAULTS.orderFailureRate);
  if (!(orderFailureRate > 0 && orderFailureRate < 1)) {
    problems.push(
      `BENCH_ORDER_FAILURE_RATE must be a share between 0 and 1 (exclusive), got "${env.BENCH_ORDER_FAILURE_RATE}"`,
    );
  }
  const orderDrainCapSeconds = positiveNumber(
    env,
    "BENCH_ORDER_DRAIN_CAP",
    DEFAULTS.orderDrainCapSeconds,
    problems,
  );

  const hubLogLevel = env.BENCH_HUB_LOG_LEVEL?.trim() || undefined;
  if (hubLogLevel && !["debug", "info", "warn", "error"].includes(hubLogLevel)) {
    problems.push(`BENCH_HUB_LOG_LEVEL must be debug, info, warn or error, got "${hubLogLevel}"`);
  }

  if (problems.length > 0) throw new Error(`Invalid bench settings:\n  ${problems.join("\n  ")}`);

  return {
    durationSeconds,
    warmupSeconds,
    connections,
    scenarios: listOrUndefined(env.BENCH_SCENARIOS),
    topic,
    ingestRate,
    payloadPath: env.BENCH_PAYLOAD?.trim() || undefined,
    hubLogLevel,
    orders,
    orderRate,
    steadyOrders,
    orderFailureRate,
    orderDrainCapSeconds,
  };
}

function positiveNumber(env, name, fallback, problems) {
  const value = numberOr(env[name], fallback);
  if (!(value > 0)) problems.push(`${name} must be a number > 0, got "${env[name]}"`);
  return value;
}

function nonNegativeNumber(env, name, fallback, problems) {
  const value = numberOr(env[name], fallback);
  if (!(value >= 0)) problems.push(`${name} must be a number of seconds ≥ 0, got "${env[name]}"`);
  return value;
}

function positiveInteger(env, name, fallback, problems) {
  const value = numberOr(env[name], fallback);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${name} must be a whole number > 0, got "${env[name]}"`);
  }
  return value;
}

function numberOr(raw, fallback) {
  return raw === undefined || raw.trim() === "" ? fallback : Number(raw);
}

function listOrUndefined(raw) {
  const items = (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}
