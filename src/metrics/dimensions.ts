import { z } from "zod";
import {
  DIMENSION_KEYS,
  DimensionKeySchema,
  MAX_DIMENSION_LENGTH,
  type MetricDimensions,
} from "./catalog";

/**
 * The canonical text of a dimension set: present keys in catalog order, as a JSON object.
 * Two points with the same dimensions always share a key, so their rollups merge.
 */
export function dimensionsKey(dimensions: MetricDimensions): string {
  return JSON.stringify(cleanDimensions(dimensions));
}

/** Drops empty values and cuts long ones; keys come out in catalog order. */
export function cleanDimensions(dimensions: MetricDimensions): MetricDimensions {
  const clean: MetricDimensions = {};
  for (const key of DIMENSION_KEYS) {
    const value = dimensions[key];
    if (value) clean[key] = value.slice(0, MAX_DIMENSION_LENGTH);
  }
  return clean;
}

const StoredDimensionsSchema = z.partialRecord(DimensionKeySchema, z.string());

/** Reads a stored dimensions key back; unknown keys (from an older catalog) are dropped. */
export function parseDimensionsKey(key: string): MetricDimensions {
  let json: unknown;
  try {
    json = JSON.parse(key);
  } catch {
    return {};
  }
  if (typeof json !== "object" || json === null) return {};
  const known = Object.entries(json).filter(([name]) => DimensionKeySchema.safeParse(name).success);
  const parsed = StoredDimensionsSchema.safeParse(Object.fromEntries(known));
  return parsed.success ? parsed.data : {};
}

/** A dimension value a query may filter on: short, printable, no quotes or separators. */
export const DimensionValueSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:/@#-]{1,100}$/, "must be 1-100 letters, digits or ._:/@#-");

/**
 * Parses the `dims` query parameter, `key:value` pairs joined by commas
 * (`integration:erp,outcome:failed`), into a filter.
 */
export const DimensionFilterSchema = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const filter: MetricDimensions = {};
    for (const pair of value.split(",").filter(Boolean)) {
      const at = pair.indexOf(":");
      const key = DimensionKeySchema.safeParse(pair.slice(0, at));
      const dimension = DimensionValueSchema.safeParse(pair.slice(at + 1));
      if (at < 1 || !key.success || !dimension.success) {
        ctx.addIssue({
          code: "custom",
          message: `"${pair}" is not key:value with key one of ${DIMENSION_KEYS.join(", ")}`,
        });
        return z.NEVER;
      }
      filter[key.data] = dimension.data;
    }
    return filter;
  });

/** Parses `groupBy`, dimension names joined by commas. */
export const GroupBySchema = z
  .string()
  .default("")
  .transform((value) => value.split(",").filter(Boolean))
  .pipe(z.array(DimensionKeySchema).max(3, "group by at most 3 dimensions"));

/** True when `dimensions` has every key/value of `filter`. */
export function matchesFilter(dimensions: MetricDimensions, filter: MetricDimensions): boolean {
  return DIMENSION_KEYS.every(
    (key) => filter[key] === undefined || dimensions[key] === filter[key],
  );
}
