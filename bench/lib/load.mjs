import autocannon from "autocannon";
import { summarise } from "./percentiles.mjs";

/**
 * @typedef {object} LoadResult
 * @property {number} durationSeconds   wall time of the measured run
 * @property {number} sent              requests sent, including those still unanswered when
 *                                      the run stopped (at most one per connection)
 * @property {number} responses         responses received, any status
 * @property {number} requestsPerSecond responses / durationSeconds
 * @property {import("./percentiles.mjs").Summary} latencyMs
 * @property {number} non2xx            responses whose status was not 2xx
 * @property {Record<string, number>} statusCodes  response count per status code
 * @property {number} errors            connection errors, timeouts included
 * @property {number} timeouts
 */

/**
 * Drives closed-loop load (each connection sends its next request when the previous one is
 * answered) at `url` for `durationSeconds` and summarises it.
 *
 * Latency percentiles are computed here from every response time autocannon reports,
 * because autocannon's own histogram keeps whole milliseconds and has no p95. Being
 * closed-loop, the run does not correct for coordinated omission: a stalled server also
 * slows the sender, so tail latency under an open arrival rate would be worse.
 *
 * @param {{ url: string, request: object, connections: number, durationSeconds: number }} load
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, request, connections, durationSeconds }) {
  const responseTimes = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [request],
    // Ten seconds is far beyond any useful answer; a hung target shows up as timeouts.
    timeout: 10,
  });
  instance.on("response", (_client, _statusCode, _bytes, responseTime) => {
    responseTimes.push(responseTime);
  });

  const result = await instance;

  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
  );
  return {
    durationSeconds: result.duration,
    sent: result.requests.sent,
    responses: responseTimes.length,
    requestsPerSecond: responseTimes.length / result.duration,
    latencyMs: summarise(responseTimes),
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Open-loop load: request i is due `i / rate` seconds after the start and goes out then,
 * whether or not earlier ones have been answered, the way independent senders (Shopify's
 * webhook workers, say) arrive. Its latency counts from when it was due, so a server or
 * sender that falls behind shows up in the tail instead of slowing the arrivals down.
 * Requests go over Node's fetch, which keeps connections alive and opens more as needed.
 *
 * @param {{ url: string, request: object, rate: number, durationSeconds: number }} load
 *   `request` in autocannon's shape (`method`, `path`, `headers`, `body`, `setupRequest`)
 * @returns {Promise<LoadResult>}
 */
export async function runPacedLoad({ url, request, rate, durationSeconds }) {
  const total = Math.round(rate * durationSeconds);
  const target = new URL(request.path, url);
  const responseTimes = [];
  const statusCodes = {};
  let errors = 0;
  let timeouts = 0;

  const send = async (due) => {
    const { headers } = request.setupRequest
      ? request.setupRequest({ headers: { ...request.headers } })
      : request;
    try {
      const response = await fetch(target, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      responseTimes.push(performance.now() - due);
      statusCodes[response.status] = (statusCodes[response.status] ?? 0) + 1;
    } catch (error) {
      errors += 1;
      if (error instanceof Error && error.name === "TimeoutError") timeouts += 1;
    }
  };

  const started = performance.now();
  const inFlight = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;

  const non2xx = Object.entries(statusCodes)
    .filter(([code]) => !code.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    durationSeconds: elapsedSeconds,
    sent: total,
    responses: responseTimes.length,
    requestsPerSecond: responseTimes.length / elapsedSeconds,
    latencyMs: summarise(responseTimes),
    non2xx,
    statusCodes,
    errors,
    timeouts,
  };
}
