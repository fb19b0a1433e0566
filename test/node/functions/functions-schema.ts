import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  coerceInputValue,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";

const root = join(import.meta.dirname, "../../..");

/** The Functions schema `@shopify/dev-mcp` ships for an API (`discount`) and version. */
export function loadFunctionSchema(api: string, version: string): GraphQLSchema {
  const file = join(
    root,
    `node_modules/@shopify/dev-mcp/dist/data/functions_${api}_${version}.json.gz`,
  );
  const json: { data: IntrospectionQuery } = JSON.parse(gunzipSync(readFileSync(file)).toString());
  return buildClientSchema(json.data);
}

/** A Function's input query file, read from its folder. */
export function readFunctionFile(path: string): string {
  return readFileSync(join(root, path), "utf8");
}

// Shopify's custom scalars arrive in a client schema as "accept anything"; these are the
// shapes Shopify's documentation gives them.
const CUSTOM_SCALARS: Record<string, (value: unknown) => boolean> = {
  Decimal: (value) =>
    (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) ||
    (typeof value === "number" && Number.isFinite(value)),
  ID: (value) => typeof value === "string" && value.length > 0,
  URL: (value) => typeof value === "string" && URL.canParse(value),
  JSON: () => true,
};

/**
 * Every problem of `value` as the Function result type `typeName`: what graphql's own
 * `coerceInputValue` reports (required fields, unknown fields, enum values, built-in
 * scalars), plus the shapes of Shopify's custom scalars, which a client schema cannot know.
 * An empty list means Shopify's result validation would accept the value.
 */
export function resultProblems(schema: GraphQLSchema, typeName: string, value: unknown): string[] {
  const type = schema.getType(typeName);
  if (!type || !isInputObjectType(type)) throw new Error(`${typeName} is not an input type`);

  const problems: string[] = [];
  coerceInputValue(value, type, (path, _invalid, error) => {
    problems.push(`${["result", ...path].join(".")}: ${error.message}`);
  });
  checkScalars(type, value, "result", problems);
  return problems;
}

function checkScalars(type: GraphQLInputType, value: unknown, path: string, out: string[]) {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkScalars(type.ofType, value, path, out);
  if (isListType(type)) {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        checkScalars(type.ofType, item, `${path}.${index}`, out);
      });
    }
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const [name, field] of Object.entries(type.getFields())) {
      checkScalars(field.type, record[name], `${path}.${name}`, out);
    }
    return;
  }
  if (isScalarType(type) && !isEnumType(type)) {
    const check = CUSTOM_SCALARS[type.name];
    if (check && !check(value))
      out.push(`${path}: not a valid ${type.name}: ${JSON.stringify(value)}`);
  }
}
