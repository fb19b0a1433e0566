// The inventory scenario's tables, verdicts and problems, from what its phases observed.

// The inventory issue's target: 95% of ATS updates reflected in Shopify within 10 s.
const PROPAGATION_P95_TARGET_MS = 10_000;

/** Reservation runs and propagation rounds as the report's tables. */
export function inventoryTables({ reservations, rounds }) {
  return [
    {
      header: [
        "hot SKU, reserved via",
        "sent",
        "2xx/applied",
        "reserved",
        "send s",
        "all in s",
        "reservations/s",
        "steady /s",
      ],
      rows: reservations.map((run) => [
        run.path === "webhooks" ? "orders/create webhooks" : "OMS confirmations",
        String(run.asked),
        String(run.answeredOk),
        String(run.reserved),
        run.sendSeconds.toFixed(1),
        run.seconds.toFixed(1),
        (run.reserved / run.seconds).toFixed(0),
        run.steadyPerSecond === null ? "—" : run.steadyPerSecond.toFixed(0),
      ]),
    },
    {
      header: [
        "ATS propagation",
        "SKUs",
        "POST ms",
        "mutations",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "reflected",
      ],
      rows: rounds.map((round) => [
        round.label,
        String(round.skus),
        String(round.postMs),
        String(round.mutations),
        fixed(round.latencyMs.p50),
        fixed(round.latencyMs.p95),
        fixed(round.latencyMs.p99),
        fixed(round.latencyMs.max),
        `${round.reflected}/${round.skus}`,
      ]),
    },
  ];
}

/** MET or MISS against the target, per propagation round. */
export function inventoryVerdicts({ rounds }) {
  return rounds.map((round) => ({
    goal: `${round.label}: 95% of ATS updates in Shopify within 10 s`,
    measured: `p95 ${fixed(round.latencyMs.p95)} ms`,
    pass: round.finished && round.latencyMs.p95 <= PROPAGATION_P95_TARGET_MS,
  }));
}

/** Anything that makes the numbers untrustworthy: lost work, broken invariants. */
export function inventoryProblems({ reservations, rounds, hotSku }) {
  const problems = [];
  for (const run of reservations) {
    if (run.answeredOk !== run.asked) {
      problems.push(`${run.path}: ${run.asked - run.answeredOk} of ${run.asked} not accepted`);
    }
    if (!run.finished) {
      problems.push(
        `${run.path}: only ${run.reserved} of ${run.answeredOk} reservations appeared in time`,
      );
    }
    if (run.reserved > run.answeredOk) {
      problems.push(`${run.path}: ${run.reserved} reservations for ${run.answeredOk} order lines`);
    }
  }
  const expectedReserved = reservations.reduce((sum, run) => sum + run.answeredOk, 0);
  if (hotSku.reserved !== expectedReserved || hotSku.openReservations !== expectedReserved) {
    problems.push(
      `hot SKU holds ${hotSku.reserved} reserved units for ${expectedReserved} order lines`,
    );
  }
  if (
    hotSku.available < 0 ||
    hotSku.onHand !== hotSku.available + hotSku.reserved + hotSku.safetyStock
  ) {
    problems.push(`hot SKU invariant broken: ${JSON.stringify(hotSku)}`);
  }
  if (hotSku.backordered !== 0) problems.push(`hot SKU backordered ${hotSku.backordered} units`);
  for (const round of rounds) {
    if (round.status !== 207 || round.accepted !== round.skus) {
      problems.push(
        `${round.label}: batch answered ${round.status}, ${round.accepted}/${round.skus} accepted`,
      );
    }
    if (!round.finished) {
      problems.push(`${round.label}: Shopify shows ${round.reflected} of ${round.skus} new values`);
    }
    if (round.latencyMs.count !== round.skus) {
      problems.push(
        `${round.label}: a mutation found for ${round.latencyMs.count} of ${round.skus} SKUs`,
      );
    }
  }
  return problems;
}

function fixed(value) {
  return Number.isFinite(value) ? value.toFixed(0) : "—";
}
