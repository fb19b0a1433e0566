/** One point of a chart: epoch ms and a value (`null` = no data in that step). */
export interface ChartPoint {
  t: number;
  v: number | null;
}

const WIDTH = 320;
const HEIGHT = 80;
const PAD = 4;

/**
 * A line chart drawn on the server as inline SVG: no chart library, no script, nothing
 * for the page's CSP to allow. Gaps (null values) break the line. Labels give the last
 * value and the range so the chart reads without hovering.
 */
export function LineChart(props: { title: string; unit: string; points: ChartPoint[] }) {
  const values = props.points.flatMap((point) => (point.v === null ? [] : [point.v]));
  if (values.length === 0) {
    return (
      <figure class="chart">
        <figcaption>{props.title}</figcaption>
        <p class="muted">No data in this window.</p>
      </figure>
    );
  }

  const min = Math.min(0, ...values);
  const max = Math.max(...values);
  const first = props.points[0]?.t ?? 0;
  const last = props.points.at(-1)?.t ?? first;
  const x = (t: number) => PAD + ((t - first) / Math.max(1, last - first)) * (WIDTH - 2 * PAD);
  const y = (v: number) =>
    HEIGHT - PAD - ((v - min) / Math.max(1e-9, max - min)) * (HEIGHT - 2 * PAD);
  const latest = values.at(-1);

  return (
    <figure class="chart">
      <figcaption>
        {props.title}{" "}
        <span class="muted">
          now {format(latest)} {props.unit} · max {format(max)}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={`${props.title}: latest ${format(latest)} ${props.unit}`}
      >
        <line x1={PAD} y1={y(min)} x2={WIDTH - PAD} y2={y(min)} stroke="#bbb" stroke-width="1" />
        {segments(props.points).map((segment) => (
          <polyline
            fill="none"
            stroke="#2563eb"
            stroke-width="1.5"
            points={segment
              .map((point) => `${x(point.t).toFixed(1)},${y(point.v).toFixed(1)}`)
              .join(" ")}
          />
        ))}
      </svg>
    </figure>
  );
}

/** Splits the series at its gaps so a missing step shows as a break, not a slope. */
function segments(points: ChartPoint[]): { t: number; v: number }[][] {
  const result: { t: number; v: number }[][] = [];
  let current: { t: number; v: number }[] = [];
  for (const point of points) {
    if (point.v === null) {
      if (current.length) result.push(current);
      current = [];
    } else {
      current.push({ t: point.t, v: point.v });
    }
  }
  if (current.length) result.push(current);
  // A lone point still draws as a dot-sized line.
  return result.map((segment) =>
    segment.length === 1 && segment[0] ? [segment[0], segment[0]] : segment,
  );
}

function format(value: number | undefined): string {
  if (value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
