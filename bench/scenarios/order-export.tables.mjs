// The order-export scenario's tables and verdicts, from its phase summaries.

// The orders issue's local target: 99% of orders exported within 5 s.
const LOCAL_P99_LAG_MS = 5_000;

const MEASURES = [
  ["ledgerLag", "hub ledger lag, ERP (order_targets.lag_ms)"],
  ["postToErp", "webhook POST → ERP stored the order"],
  ["postToWriteBack", "webhook POST → ERP ref visible in Shopify"],
];

/**
 * Two tables: export lag percentiles per phase and measure, then throughput and counts.
 * @param {import("./order-export.summary.mjs").PhaseSummary[]} summaries
 * @returns {{ header: string[], rows: string[][], textColumns?: number }[]}
 */
export function orderExportTables(summaries) {
  const lag = {
    header: ["phase", "export lag", "p50 ms", "p95 ms", "p99 ms", "max ms", "orders"],
    textColumns: 2,
    rows: summaries.flatMap((summary) =>
      MEASURES.map(([key, title]) => {
        const measure = summary.latencyMs[key];
        return [
          summary.label,
          title,
          ...[measure.p50, measure.p95, measure.p99, measure.max].map(whole),
          String(measure.count),
        ];
      }),
    ),
  };

  const outcomes = {
    header: [
      "phase",
      "accepted",
      "sent in s",
      "through in s",
      "orders/s",
      "ERP",
      "OMS",
      "written back",
      "dup at ERP",
      "dead letters",
      "lost",
      "ERP calls",
      "ERP 503s",
      "max attempts",
    ],
    rows: summaries.map(({ label, counts, throughput }) => [
      label,
      String(counts.accepted),
      throughput.sendSeconds.toFixed(1),
      throughput.endToEndSeconds.toFixed(1),
      throughput.endToEndPerSecond.toFixed(1),
      String(counts.exportedErp),
      String(counts.exportedOms),
      String(counts.writtenBackErp),
      String(counts.duplicatesAtErp),
      String(counts.deadLetters),
      counts.lost === null ? `— (${counts.unfinished} unfinished)` : String(counts.lost),
      String(counts.erpCalls),
      String(counts.erpFailedCalls),
      String(counts.maxAttemptsErp),
    ]),
  };
  return [lag, outcomes];
}

/**
 * The targets: the local lag target on each phase without faults, and in every phase each
 * accepted order exported exactly once, written back, none lost or dead-lettered.
 * @param {import("./order-export.summary.mjs").PhaseSummary[]} summaries
 */
export function orderExportVerdicts(summaries) {
  const verdicts = [];
  for (const faultless of summaries.filter((summary) => summary.failureRate === 0)) {
    const p99 = faultless.latencyMs.ledgerLag.p99;
    verdicts.push({
      goal: `${faultless.label}: 99% of orders exported within ${LOCAL_P99_LAG_MS / 1000} s (ledger lag p99)`,
      measured: `${whole(p99)} ms`,
      pass: p99 < LOCAL_P99_LAG_MS,
    });
  }

  for (const { label, counts } of summaries) {
    const complete =
      counts.exportedErp === counts.accepted &&
      counts.writtenBackErp === counts.accepted &&
      counts.lost === 0 &&
      counts.duplicatesAtErp + counts.deadLetters === 0;
    verdicts.push({
      goal: `${label}: every order exported once and written back, none lost or dead-lettered`,
      measured: `${counts.exportedErp}/${counts.accepted} at the ERP, ${counts.writtenBackErp} written back, ${counts.duplicatesAtErp} duplicated, ${counts.deadLetters} dead-lettered, ${counts.lost === null ? `${counts.unfinished} unfinished` : `${counts.lost} lost`}`,
      pass: complete,
    });
  }
  return verdicts;
}

function whole(value) {
  return Number.isFinite(value) ? value.toFixed(0) : "—";
}
