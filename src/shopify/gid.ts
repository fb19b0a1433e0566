import { z } from "zod";

/**
 * A schema for a Shopify global ID of one resource type (`gid://shopify/Company/123`) that
 * parses to its numeric tail ("123"); any other string is an issue naming the expected form.
 */
export const gidNumber = (resource: string) =>
  z.string().transform((gid, ctx) => {
    const match = new RegExp(`^gid://shopify/${resource}/(\\d+)$`).exec(gid);
    if (!match?.[1]) {
      ctx.addIssue({ code: "custom", message: `must be a gid://shopify/${resource}/<id>` });
      return z.NEVER;
    }
    return match[1];
  });
