import { summarise } from "../lib/percentiles.mjs";
import { isAccepted } from "./order-export.phase.mjs";

/**
 * @typedef {object} PhaseSummary
 * @property {string} id
 * @property {string} label
 * @property {number} failureRate
 * @property {object} latencyMs  per measure, a percentiles Summary:
 *   `ledgerLag` (order_targets.lag_ms for the ERP), `postToErp` (POST → the sandbox ERP
 *   stored the create), `postToWriteBack` (POST → the ERP reference visible in the stand-in)
 * @property {object} counts
 * @property {{ sendSeconds: number, sendPerSecond: number, endToEndSeconds: number,
 *   endToEndPerSecond: number, drained: boolean, drainSeconds: number }} throughput
 * @property {number} writeBackPolls  reads of the stand-in while watching for write-backs
 * @property {string[]} problems  anything that breaks the scenario's promises
 */

/**
 * The numbers one phase produced, and its broken promises: every accepted order exported
 * to the ERP and written back, none twice, none dead-lettered, none lost, and the hub's
 * ledger agreeing with what the sandbox holds.
 * @param {import("./order-export.phase.mjs").PhaseObservation} observation
 * @returns {PhaseSummary}
 */
export function summarisePhase(observation) {
  const { phase, deliveries, writeBacks, erpOrders, ledger, deadLetters } = observation;
  const postedAt = new Map(deliveries.map((delivery) => [delivery.orderId, delivery.postedAt]));
  const accepted = deliveries.filter(isAccepted);

  const erpStoredAt = new Map(
    erpOrders.flatMap((order) => {
      const create = order.events.find((event) => event.effect === "create");
      return create ? [[order.orderId, Date.parse(create.receivedAt)]] : [];
    }),
  );
  const latencyMs = {
    ledgerLag: summarise(ledger.flatMap((row) => (row.lag_ms === null ? [] : [row.lag_ms]))),
    postToErp: summarise(sinceSend(erpStoredAt, postedAt)),
    postToWriteBack: summarise(sinceSend(writeBacks.erp, postedAt)),
  };

  const counts = countOutcomes(observation, accepted, erpStoredAt);
  const throughput = measureThroughput(observation, accepted);
  return {
    id: phase.id,
    label: phase.label,
    failureRate: phase.failureRate,
    latencyMs,
    counts,
    throughput,
    writeBackPolls: observation.writeBackPolls,
    problems: findProblems(counts, observation.drain, deadLetters),
  };
}

function sinceSend(timesByOrder, postedAt) {
  return [...timesByOrder].flatMap(([orderId, at]) => {
    const sent = postedAt.get(orderId);
    return sent === undefined ? [] : [at - sent];
  });
}

function countOutcomes(
  { deliveries, writeBacks, erpOrders, erpCalls, ledger, omsExported, deadLetters, drain },
  accepted,
  erpStoredAt,
) {
  const deadLettered = new Set(deadLetters.map((row) => row.order_id));
  const missing = accepted.filter(
    ({ orderId }) => !erpStoredAt.has(orderId) && !deadLettered.has(orderId),
  ).length;
  const createEvents = (order) => order.events.filter((event) => event.effect === "create").length;

  return {
    sent: deliveries.length,
    accepted: accepted.length,
    exportedErp: erpStoredAt.size,
    ledgerExportedErp: ledger.filter((row) => row.status === "exported").length,
    exportedOms: omsExported,
    writtenBackErp: accepted.filter(({ orderId }) => writeBacks.erp.has(orderId)).length,
    writtenBackOms: accepted.filter(({ orderId }) => writeBacks.oms.has(orderId)).length,
    // A second create for an order the ERP already has: the one thing that must never happen.
    duplicatesAtErp: erpOrders.reduce(
      (sum, order) => sum + Math.max(0, createEvents(order) - 1),
      0,
    ),
    // The same idempotency key sent again after the ERP stored it (answered 409): harmless
    // by design, but a sign the hub lost track of an accepted effect.
    repeatedKeysAtErp: erpOrders.reduce((sum, order) => sum + order.counts.duplicates, 0),
    deadLetters: deadLetters.length,
    // Accepted, yet neither at the ERP nor parked once the hub had finished. Before it has
    // finished such an order may still be on its way: unfinished, not lost.
    lost: drain.drained ? missing : null,
    unfinished: drain.drained ? 0 : missing,
    erpCalls: erpCalls.length,
    erpFailedCalls: erpCalls.filter((call) => call.fault === "fail").length,
    maxAttemptsErp: ledger.reduce((max, row) => Math.max(max, row.attempts), 0),
  };
}

function measureThroughput({ deliveries, writeBacks, drain }, accepted) {
  const firstPost = Math.min(...deliveries.map((delivery) => delivery.postedAt));
  const lastAnswer = Math.max(...deliveries.map((delivery) => delivery.answeredAt));
  // An order is through when both connectors' references are visible in the stand-in.
  const finished = accepted.flatMap(({ orderId }) => {
    const erp = writeBacks.erp.get(orderId);
    const oms = writeBacks.oms.get(orderId);
    return erp === undefined || oms === undefined ? [] : [Math.max(erp, oms)];
  });
  const sendSeconds = (lastAnswer - firstPost) / 1000;
  const endToEndSeconds = finished.length > 0 ? (Math.max(...finished) - firstPost) / 1000 : NaN;

  return {
    sendSeconds,
    sendPerSecond: accepted.length / sendSeconds,
    endToEndSeconds,
    endToEndPerSecond: finished.length / endToEndSeconds,
    drained: drain.drained,
    drainSeconds: drain.seconds,
  };
}

function findProblems(counts, drain, deadLetters) {
  const problems = [];
  if (counts.accepted < counts.sent) {
    problems.push(
      `${counts.sent - counts.accepted} of ${counts.sent} webhooks not accepted (non-2xx or failed)`,
    );
  }
  if (counts.duplicatesAtErp > 0) {
    problems.push(`${counts.duplicatesAtErp} duplicate orders at the ERP`);
  }
  if (counts.deadLetters > 0) {
    const codes = [...new Set(deadLetters.map((row) => `${row.error_class}/${row.error_code}`))];
    problems.push(`${counts.deadLetters} orders dead-lettered (${codes.join(", ")})`);
  }
  if (!drain.drained) {
    problems.push(
      `not finished after the ${drain.seconds.toFixed(0)} s cap: ${counts.unfinished} orders not yet at the ERP, ${counts.accepted - counts.writtenBackErp} without an ERP write-back`,
    );
    return problems; // The checks below compare end states; the hub had not reached its.
  }
  if (counts.lost > 0) problems.push(`${counts.lost} accepted orders never reached the ERP`);
  if (counts.ledgerExportedErp !== counts.exportedErp) {
    problems.push(
      `the hub's ledger says ${counts.ledgerExportedErp} exported to the ERP, the ERP holds ${counts.exportedErp}`,
    );
  }
  if (counts.writtenBackErp < counts.exportedErp || counts.writtenBackOms < counts.exportedOms) {
    problems.push(
      `write-backs missing: ERP ${counts.exportedErp - counts.writtenBackErp}, OMS ${counts.exportedOms - counts.writtenBackOms}`,
    );
  }
  return problems;
}
