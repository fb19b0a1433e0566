import { progress } from "../lib/harness.mjs";

// Topics the hub's compliance consumer records in compliance_requests once processed.
const COMPLIANCE_TOPICS = new Set([
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "app/uninstalled",
]);
const DRAIN_POLL_MS = 250;
// Requests in flight when the load stopped finish within this; longer means stuck claims.
const SETTLE_CAP_MS = 2_000;
// Stop waiting when the consumers make no progress for this long, or after the cap.
const DRAIN_STALL_MS = 3_000;
const DRAIN_CAP_MS = 30_000;

/**
 * Checks the hub did what its 2xx answers claim: a receipt (enqueued, or ignored for
 * topics without a consumer) for every acknowledged delivery, none left pending or failed.
 * Requests still in flight when a run stopped were processed but their answers were not
 * counted, so receipts may exceed the 2xx count by up to the requests sent unanswered.
 * For compliance topics it then waits for the queue consumers to catch up and reports
 * how far they got; consumer lag is reported, not judged, because ingest is what this
 * scenario measures.
 *
 * With `consumers` false the hub runs without queue consumers and nothing is waited for.
 *
 * `shop/redact` deletes the shop's receipts in its consumer, so the receipt count can
 * legitimately fall short for that topic.
 */
export async function inspectHubLedger(handle, { warmup, load, paced }, topic, consumers = true) {
  const acknowledged = count2xx(warmup) + count2xx(load) + count2xx(paced);
  const sent = (warmup?.sent ?? 0) + load.sent + (paced?.sent ?? 0);
  const atLoadEnd = await settledLedger(handle);
  const { enqueued = 0, ignored = 0, pending = 0, failed = 0 } = atLoadEnd.receipts;
  const recorded = enqueued + ignored;

  const problems = [];
  if (recorded < acknowledged || recorded > sent) {
    problems.push(
      `ledger: ${acknowledged} deliveries acknowledged (${sent} sent) but ${recorded} receipts enqueued or ignored`,
    );
  }
  if (pending + failed > 0) {
    problems.push(`ledger: ${pending} receipts left pending and ${failed} failed`);
  }

  const drained =
    consumers && COMPLIANCE_TOPICS.has(topic)
      ? await waitForComplianceConsumer(handle, enqueued)
      : undefined;
  if (drained && drained.deadLetters > 0) {
    problems.push(`consumers: ${drained.deadLetters} events dead-lettered`);
  }

  return {
    details: {
      acknowledged,
      sent,
      receiptsAtLoadEnd: atLoadEnd.receipts,
      completedAtLoadEnd: atLoadEnd.complianceRequests,
      ...(drained ? { consumers: drained } : {}),
    },
    problems,
  };
}

/**
 * Waits until the compliance consumer has caught up with every enqueued receipt (or
 * stalls), so a later measured run does not compete with an earlier run's backlog.
 */
export async function waitForBacklog(handle, topic) {
  if (!COMPLIANCE_TOPICS.has(topic)) return;
  const { receipts } = await settledLedger(handle);
  await waitForComplianceConsumer(handle, receipts.enqueued ?? 0);
}

/** The ledger once requests that were in flight when the load stopped have finished. */
async function settledLedger(handle) {
  const deadline = Date.now() + SETTLE_CAP_MS;
  let ledger = await handle.ledger();
  while ((ledger.receipts.pending ?? 0) > 0 && Date.now() < deadline) {
    await sleep(DRAIN_POLL_MS);
    ledger = await handle.ledger();
  }
  return ledger;
}

async function waitForComplianceConsumer(handle, enqueued) {
  progress(`waiting for the compliance consumer to finish ${enqueued} events`);
  const started = Date.now();
  let lastProgressAt = started;
  let ledger = await handle.ledger();
  let done = ledger.complianceRequests + ledger.deadLetters;

  while (done < enqueued && Date.now() - lastProgressAt < DRAIN_STALL_MS) {
    if (Date.now() - started > DRAIN_CAP_MS) break;
    await sleep(DRAIN_POLL_MS);
    ledger = await handle.ledger();
    const nowDone = ledger.complianceRequests + ledger.deadLetters;
    if (nowDone > done) lastProgressAt = Date.now();
    done = nowDone;
  }

  return {
    enqueued,
    completed: ledger.complianceRequests,
    deadLetters: ledger.deadLetters,
    drainSeconds: (Date.now() - started) / 1000,
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function count2xx(result) {
  if (!result) return 0;
  return Object.entries(result.statusCodes)
    .filter(([code]) => code.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
}
