import { z } from "zod";
import type { ChartPoint } from "./components/chart";

/**
 * Readers for answers of admin API routes other parts of the hub own (SLOs, metrics).
 * They accept the documented shapes loosely, so a field added there does not break the
 * console, and return `undefined` for anything unrecognisable.
 */

const SloSchema = z.looseObject({
  name: z.string().optional(),
  id: z.string().optional(),
  status: z.string().optional(),
});
export type SloTile = { title: string; status: string; facts: [string, string][] };

/** SLO report items → tiles with a status and their scalar facts. */
export function sloTiles(data: unknown): SloTile[] | undefined {
  const list = listIn(data, ["items", "slos"]);
  if (!list) return undefined;
  return list.flatMap((item) => {
    const parsed = SloSchema.safeParse(item);
    if (!parsed.success) return [];
    const { name, id, status, ...rest } = parsed.data;
    return [
      {
        title: name ?? id ?? "SLO",
        status: status ?? "unknown",
        facts: Object.entries(rest).flatMap(([key, value]) => {
          if (typeof value === "number") return [[key, formatNumber(value)] as [string, string]];
          if (typeof value === "string" || typeof value === "boolean") {
            return [[key, String(value)] as [string, string]];
          }
          return [];
        }),
      },
    ];
  });
}

/** The tile colour class for an SLO status word. */
export function statusClass(status: string): "ok" | "warn" | "bad" | "unavailable" {
  if (/^(ok|met|healthy|meeting|good)$/i.test(status)) return "ok";
  if (/(risk|warn|burn)/i.test(status)) return "warn";
  if (/(breach|violat|fail|missed|bad)/i.test(status)) return "bad";
  return "unavailable";
}

const PointSchema = z.looseObject({ t: z.union([z.string(), z.number()]) });
const SeriesSchema = z.looseObject({
  name: z.string().optional(),
  metric: z.string().optional(),
  unit: z.string().optional(),
  points: z.array(PointSchema).optional(),
  series: z.array(z.looseObject({ points: z.array(PointSchema) })).optional(),
});
export type ChartModel = { title: string; unit: string; points: ChartPoint[] };

/** Metric series → one chart each, plotting the first of avg, p95, value, count present. */
export function chartsOf(data: unknown): ChartModel[] | undefined {
  const list = listIn(data, ["items", "metrics", "series"]);
  if (!list) return undefined;
  return list.flatMap((item) => {
    const parsed = SeriesSchema.safeParse(item);
    if (!parsed.success) return [];
    const points = parsed.data.points ?? parsed.data.series?.[0]?.points;
    if (!points) return [];
    return [
      {
        title: parsed.data.name ?? parsed.data.metric ?? "metric",
        unit: parsed.data.unit ?? "",
        points: points.map((point) => ({ t: timeOf(point.t), v: plottedValue(point) })),
      },
    ];
  });
}

function plottedValue(point: Record<string, unknown>): number | null {
  for (const key of ["avg", "p95", "value", "v", "count"]) {
    const value = point[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}

function timeOf(t: string | number): number {
  return typeof t === "number" ? t : Date.parse(t);
}

function listIn(data: unknown, keys: string[]): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  const record = z.record(z.string(), z.unknown()).safeParse(data);
  if (!record.success) return undefined;
  for (const key of keys) {
    const value = record.data[key];
    if (Array.isArray(value)) return value;
  }
  return undefined;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
