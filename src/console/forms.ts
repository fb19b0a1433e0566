import type { Context } from "hono";
import { z } from "zod";
import { ProblemError } from "../http/problem";
import { parseInput } from "../http/validation";

/**
 * Reads a console form post. Only `application/x-www-form-urlencoded` is accepted: the
 * console's forms send nothing else, and refusing multipart keeps file parts out.
 * @throws {ProblemError} 415 `unsupported_media_type`, 400 `invalid_request`.
 */
export async function readForm<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new ProblemError(
      415,
      "unsupported_media_type",
      "Form posts only",
      "Send application/x-www-form-urlencoded.",
    );
  }
  const fields = Object.fromEntries(new URLSearchParams(await c.req.text()));
  return parseInput(schema, fields, "form");
}

/** A same-site console path to go back to after an action; never another origin. */
export const ReturnToSchema = z
  .string()
  .regex(/^\/admin(\/[A-Za-z0-9\-_/]*)?(\?[A-Za-z0-9=&_\-%.]*)?$/, "must be a console path")
  .default("/admin");

export const CsrfFieldSchema = z.string().min(1).max(200);
