import { z } from "zod";

// Shopify's mandatory compliance webhook bodies
// (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance). Ids arrive as
// numbers; the hub stores them as strings.
const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

export const CustomerRedactSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_to_redact: z.array(id).default([]),
});

export const CustomerDataRequestSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_requested: z.array(id).default([]),
  data_request: z.object({ id }).optional(),
});

export const ShopRedactSchema = z.object({ shop_domain: z.string() });
