import { z } from "zod";
import { PermanentError } from "../../queues/errors";

const TimestampSchema = z.iso.datetime({ offset: true });

/**
 * A search-syntax time comparison such as `updated_at:>='2026-12-01T00:00:00Z'`, from an
 * ISO-8601 timestamp the caller supplies.
 * https://shopify.dev/docs/api/usage/search-syntax
 * @throws {PermanentError} `invalid_timestamp` when `iso` is not an ISO-8601 date-time.
 */
export function timeFilter(field: string, comparator: ">" | ">=", iso: string): string {
  const parsed = TimestampSchema.safeParse(iso);
  if (!parsed.success) {
    throw new PermanentError(
      "invalid_timestamp",
      `${field}: "${iso}" is not an ISO-8601 date-time`,
    );
  }
  return `${field}:${comparator}'${parsed.data}'`;
}
