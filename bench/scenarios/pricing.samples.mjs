import { performance } from "node:perf_hooks";
import { BENCH_SHOP } from "../lib/bench-identity.mjs";
import { summarise } from "../lib/percentiles.mjs";
import { BUYER, SKU_COUNT, skuAt } from "./pricing.book.mjs";

/** A resolve body for `lines` SKUs spread over the book (a third of them contract-priced). */
export function cartBody(lines, offset = 0) {
  const stride = Math.floor(SKU_COUNT / lines);
  return JSON.stringify({
    shop: BENCH_SHOP,
    currency: "USD",
    ...BUYER,
    lines: Array.from({ length: lines }, (_, i) => ({
      sku: skuAt((offset + i * stride) % SKU_COUNT),
      quantity: 1 + (i % 12),
    })),
  });
}

/** The autocannon request for a resolve of `body`. */
export function resolveRequest(body, apiKey) {
  return {
    method: "POST",
    path: "/v1/prices/resolve",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body,
  };
}

/**
 * Latency with nothing queued: one request at a time for `seconds`, each timed from send
 * to the last body byte. Returns the summary and any non-200 statuses seen.
 */
export async function sequentialLatency(url, request, seconds) {
  const samples = [];
  const failures = {};
  const stopAt = performance.now() + seconds * 1000;
  while (performance.now() < stopAt) {
    const started = performance.now();
    const response = await fetch(new URL(request.path, url), request);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.status !== 200) failures[response.status] = (failures[response.status] ?? 0) + 1;
  }
  return { latencyMs: summarise(samples), failures };
}

/** One timed request (a cold sample). */
export async function timedOnce(url, request) {
  const started = performance.now();
  const response = await fetch(new URL(request.path, url), request);
  const text = await response.text();
  return { ms: performance.now() - started, status: response.status, text };
}
