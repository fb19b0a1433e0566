import { z } from "zod";

/**
 * The state of the app's cost bucket for one shop as Shopify reports it in
 * `extensions.cost.throttleStatus`: bucket size, points left, points restored per second.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */
export const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number().positive(),
  currentlyAvailable: z.number().min(0),
  restoreRate: z.number().positive(),
});
export type ThrottleStatus = z.infer<typeof ThrottleStatusSchema>;

/** `extensions.cost`. `actualQueryCost` is null when the request was throttled. */
export const QueryCostSchema = z.object({
  requestedQueryCost: z.number().min(0).nullish(),
  actualQueryCost: z.number().min(0).nullish(),
  throttleStatus: ThrottleStatusSchema.optional(),
});
export type QueryCost = z.infer<typeof QueryCostSchema>;

/** One entry of a GraphQL response's top-level `errors`. */
export const GraphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});
export type GraphqlError = z.infer<typeof GraphqlErrorSchema>;

/**
 * The body of an Admin API GraphQL response. Shopify answers some failures with `errors`
 * as a single string (e.g. an invalid token); that form is normalised to one error.
 */
export const GraphqlResponseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .union([z.array(GraphqlErrorSchema), z.string().transform((message) => [{ message }])])
    .optional()
    .transform((errors): GraphqlError[] => errors ?? []),
  extensions: z.looseObject({ cost: QueryCostSchema.optional() }).optional(),
});
export type GraphqlResponse = z.infer<typeof GraphqlResponseSchema>;

/** A mutation's `userErrors` entry; `field` is the path to the offending input. */
export const UserErrorSchema = z.object({
  field: z.array(z.string()).nullish(),
  message: z.string(),
  code: z.string().nullish(),
});
export type UserError = z.infer<typeof UserErrorSchema>;

/** A connection's `pageInfo` as the hub's documents select it. */
export const PageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});
export type PageInfo = z.infer<typeof PageInfoSchema>;

/** `MoneyV2`: a decimal string amount and an ISO 4217 code, kept as strings. */
export const MoneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal string"),
  currencyCode: z.string().min(3),
});
export type Money = z.infer<typeof MoneySchema>;
