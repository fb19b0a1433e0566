import type { z } from "zod";
import { ProblemError } from "./problem";

/**
 * Parses request input (query, params or JSON body) with a zod schema; on failure throws a
 * 400 problem whose `errors` name each offending field.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  where: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ProblemError(400, "invalid_request", `Invalid ${where}`, undefined, {
    errors: parsed.error.issues.map((issue) => ({
      field: issue.path.join(".") || where,
      message: issue.message,
    })),
  });
}

/** Reads a JSON body, answering 400 `malformed_json` when it does not parse. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ProblemError(400, "malformed_json", "Request body is not valid JSON");
  }
}
