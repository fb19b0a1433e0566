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
