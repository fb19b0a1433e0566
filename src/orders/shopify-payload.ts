import { z } from "zod";

/**
 * The parts of Shopify's REST-shaped order and refund webhook payloads the export reads.
 * Unknown fields pass through untouched and are never forwarded: the canonical order
 * (./canonical.ts) lists what leaves the hub. Card and payment-instrument fields
 * (`payment_details`, `credit_card_*`, gateway receipts) are deliberately absent here.
 */

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const Amount = z.union([z.string(), z.number()]).transform(String);
const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const MoneySet = z.object({
  shop_money: z.object({ amount: Amount, currency_code: z.string() }),
  presentment_money: z.object({ amount: Amount, currency_code: z.string() }),
});

const TaxLine = z.object({ title: z.string(), rate: z.number(), price: Amount });

const Address = z.object({
  first_name: nullish(z.string()),
  last_name: nullish(z.string()),
  name: nullish(z.string()),
  company: nullish(z.string()),
  address1: nullish(z.string()),
  address2: nullish(z.string()),
  city: nullish(z.string()),
  province: nullish(z.string()),
  province_code: nullish(z.string()),
  zip: nullish(z.string()),
  country: nullish(z.string()),
  country_code: nullish(z.string()),
  phone: nullish(z.string()),
});
export type ShopifyAddress = z.infer<typeof Address>;

export const ShopifyLineItemSchema = z.object({
  id: Id,
  sku: nullish(z.string()),
  variant_id: nullish(Id),
  product_id: nullish(Id),
  title: z.string(),
  variant_title: nullish(z.string()),
  quantity: z.number().int(),
  price: Amount,
  total_discount: Amount.default("0"),
  requires_shipping: z.boolean().default(true),
  taxable: z.boolean().default(true),
  tax_lines: z.array(TaxLine).default([]),
  discount_allocations: z
    .array(z.object({ amount: Amount, discount_application_index: z.number().int() }))
    .default([]),
});

export const ShopifyOrderPayloadSchema = z.object({
  id: Id,
  admin_graphql_api_id: z.string(),
  name: z.string(),
  order_number: z.number().int().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  processed_at: nullish(z.string()),
  cancelled_at: nullish(z.string()),
  cancel_reason: nullish(z.string()),
  currency: z.string(),
  presentment_currency: z.string().optional(),
  financial_status: nullish(z.string()),
  fulfillment_status: nullish(z.string()),
  taxes_included: z.boolean().default(false),
  test: z.boolean().default(false),
  email: nullish(z.string()),
  contact_email: nullish(z.string()),
  phone: nullish(z.string()),
  note: nullish(z.string()),
  browser_ip: nullish(z.string()),
  po_number: nullish(z.string()),
  tags: z.string().default(""),
  company: nullish(z.object({ id: Id, location_id: nullish(Id) })),
  payment_terms: nullish(
    z.object({
      payment_terms_name: nullish(z.string()),
      payment_terms_type: nullish(z.string()),
      due_in_days: nullish(z.number().int()),
      payment_schedules: z.array(z.object({ due_at: nullish(z.string()) })).default([]),
    }),
  ),
  customer: nullish(
    z.object({
      id: Id,
      email: nullish(z.string()),
      phone: nullish(z.string()),
      first_name: nullish(z.string()),
      last_name: nullish(z.string()),
    }),
  ),
  billing_address: nullish(Address),
  shipping_address: nullish(Address),
  line_items: z.array(ShopifyLineItemSchema),
  shipping_lines: z
    .array(
      z.object({
        code: nullish(z.string()),
        title: z.string(),
        price: Amount,
        discounted_price: Amount.optional(),
        tax_lines: z.array(TaxLine).default([]),
      }),
    )
    .default([]),
  discount_codes: z
    .array(z.object({ code: z.string(), amount: Amount, type: z.string() }))
    .default([]),
  subtotal_price: Amount,
  total_discounts: Amount.default("0"),
  total_tax: Amount.default("0"),
  total_price: Amount,
  total_outstanding: Amount.optional(),
  total_shipping_price_set: MoneySet.optional(),
  total_price_set: MoneySet.optional(),
});
export type ShopifyOrderPayload = z.infer<typeof ShopifyOrderPayloadSchema>;

export const ShopifyRefundPayloadSchema = z.object({
  id: Id,
  order_id: Id,
  created_at: z.string(),
  processed_at: nullish(z.string()),
  note: nullish(z.string()),
  restock: z.boolean().default(false),
  refund_line_items: z
    .array(
      z.object({
        line_item_id: Id,
        quantity: z.number().int(),
        restock_type: nullish(z.string()),
        subtotal_set: MoneySet,
        total_tax_set: MoneySet,
        line_item: z.object({ sku: nullish(z.string()) }).optional(),
      }),
    )
    .default([]),
  transactions: z
    .array(
      z.object({
        id: Id,
        kind: z.string(),
        status: z.string(),
        amount: Amount,
        currency: z.string(),
        gateway: nullish(z.string()),
      }),
    )
    .default([]),
});
export type ShopifyRefundPayload = z.infer<typeof ShopifyRefundPayloadSchema>;
