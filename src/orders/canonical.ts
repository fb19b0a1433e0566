import { z } from "zod";
import { fromMinorUnits, normaliseAmount, sumAmounts, toMinorUnits } from "../domain/money";
import type { ShopifyAddress, ShopifyOrderPayload, ShopifyRefundPayload } from "./shopify-payload";

/**
 * The hub's own order: what ERP and OMS connectors receive (after the PII policy, see
 * ./pii.ts), version 1. Amounts are decimal strings in the shop's currency, computed in
 * integer minor units. docs/connectors.md documents every field.
 */

const Money = z.string().regex(/^-?\d+(\.\d+)?$/);

export const CanonicalAddressSchema = z.object({
  name: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  countryCode: z.string().nullable(),
  phone: z.string().nullable(),
});
export type CanonicalAddress = z.infer<typeof CanonicalAddressSchema>;

const TaxSchema = z.object({ title: z.string(), rate: z.number(), amount: Money });

export const CanonicalLineSchema = z.object({
  lineId: z.string(),
  sku: z.string().nullable(),
  variantId: z.string().nullable(),
  productId: z.string().nullable(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: Money,
  /** Sum of the discount allocations on this line. */
  discount: Money,
  /** quantity × unitPrice − discount. */
  netTotal: Money,
  taxes: z.array(TaxSchema),
  requiresShipping: z.boolean(),
  taxable: z.boolean(),
});

export const CanonicalOrderSchema = z.object({
  schemaVersion: z.literal(1),
  orderId: z.string(),
  gid: z.string(),
  name: z.string(),
  source: z.object({
    shop: z.string(),
    topic: z.string(),
    apiVersion: z.string(),
    webhookId: z.string(),
    eventId: z.string(),
    traceId: z.string(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  test: z.boolean(),
  currency: z.string(),
  presentmentCurrency: z.string(),
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string().nullable(),
  b2b: z
    .object({
      companyId: z.string(),
      companyLocationId: z.string().nullable(),
      poNumber: z.string().nullable(),
      paymentTerms: z
        .object({
          name: z.string().nullable(),
          type: z.string().nullable(),
          dueInDays: z.number().int().nullable(),
          dueAt: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  /** "company" for B2B orders placed on behalf of a company location, else "customer". */
  purchasingEntity: z.enum(["company", "customer"]),
  customer: z
    .object({
      customerId: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      name: z.string().nullable(),
    })
    .nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  billingAddress: CanonicalAddressSchema.nullable(),
  shippingAddress: CanonicalAddressSchema.nullable(),
  note: z.string().nullable(),
  browserIp: z.string().nullable(),
  lines: z.array(CanonicalLineSchema),
  shippingLines: z.array(
    z.object({
      code: z.string().nullable(),
      title: z.string(),
      price: Money,
      taxes: z.array(TaxSchema),
    }),
  ),
  discountCodes: z.array(z.object({ code: z.string(), amount: Money, type: z.string() })),
  totals: z.object({
    subtotal: Money,
    discounts: Money,
    shipping: Money,
    tax: Money,
    total: Money,
    outstanding: Money,
    taxesIncluded: z.boolean(),
  }),
  tags: z.array(z.string()),
});
export type CanonicalOrder = z.infer<typeof CanonicalOrderSchema>;

export interface OrderSource {
  shop: string;
  topic: string;
  apiVersion: string;
  webhookId: string;
  eventId: string;
  traceId: string;
}

/** Maps Shopify's order webhook payload to the canonical order. Pure; throws on bad money. */
export function toCanonicalOrder(order: ShopifyOrderPayload, source: OrderSource): CanonicalOrder {
  const currency = order.currency;
  const money = (amount: string) => normaliseAmount(amount, currency);
  const shipping = order.total_shipping_price_set?.shop_money.amount;

  return CanonicalOrderSchema.parse({
    schemaVersion: 1,
    orderId: order.id,
    gid: order.admin_graphql_api_id,
    name: order.name,
    source,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    processedAt: order.processed_at,
    cancelledAt: order.cancelled_at,
    cancelReason: order.cancel_reason,
    test: order.test,
    currency,
    presentmentCurrency: order.presentment_currency ?? currency,
    financialStatus: order.financial_status,
    fulfillmentStatus: order.fulfillment_status,
    b2b: order.company
      ? {
          companyId: order.company.id,
          companyLocationId: order.company.location_id,
          poNumber: order.po_number,
          paymentTerms: order.payment_terms
            ? {
                name: order.payment_terms.payment_terms_name,
                type: order.payment_terms.payment_terms_type,
                dueInDays: order.payment_terms.due_in_days,
                dueAt: order.payment_terms.payment_schedules[0]?.due_at ?? null,
              }
            : null,
        }
      : null,
    purchasingEntity: order.company ? "company" : "customer",
    customer: order.customer
      ? {
          customerId: order.customer.id,
          email: order.customer.email,
          phone: order.customer.phone,
          name: joinName(order.customer.first_name, order.customer.last_name),
        }
      : null,
    email: order.email ?? order.contact_email,
    phone: order.phone,
    billingAddress: toAddress(order.billing_address),
    shippingAddress: toAddress(order.shipping_address),
    note: order.note,
    browserIp: order.browser_ip,
    // Lines are as ordered, like the totals (`subtotal_price`, `total_price`): after an edit,
    // refund or cancellation `current_quantity` drops but `discount_allocations` do not, so
    // mixing the two gives negative or understated line totals. Later changes reach the
    // connector as their own cancel and refund effects.
    lines: order.line_items.map((line) => {
      const quantity = line.quantity;
      const discountMinor = line.discount_allocations.reduce(
        (sum, allocation) => sum + toMinorUnits(allocation.amount, currency),
        0,
      );
      const grossMinor = toMinorUnits(line.price, currency) * quantity;
      return {
        lineId: line.id,
        sku: line.sku || null,
        variantId: line.variant_id,
        productId: line.product_id,
        title: line.title,
        variantTitle: line.variant_title,
        quantity,
        unitPrice: money(line.price),
        discount: fromMinorUnits(discountMinor, currency),
        netTotal: fromMinorUnits(grossMinor - discountMinor, currency),
        taxes: toTaxes(line.tax_lines, currency),
        requiresShipping: line.requires_shipping,
        taxable: line.taxable,
      };
    }),
    shippingLines: order.shipping_lines.map((line) => ({
      code: line.code,
      title: line.title,
      price: money(line.discounted_price ?? line.price),
      taxes: toTaxes(line.tax_lines, currency),
    })),
    discountCodes: order.discount_codes.map((code) => ({ ...code, amount: money(code.amount) })),
    totals: {
      subtotal: money(order.subtotal_price),
      discounts: money(order.total_discounts),
      shipping: shipping
        ? money(shipping)
        : sumAmounts(
            order.shipping_lines.map((line) => line.discounted_price ?? line.price),
            currency,
          ),
      tax: money(order.total_tax),
      total: money(order.total_price),
      outstanding: money(order.total_outstanding ?? "0"),
      taxesIncluded: order.taxes_included,
    },
    tags: order.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  });
}

export const CanonicalRefundSchema = z.object({
  refundId: z.string(),
  orderId: z.string(),
  createdAt: z.string(),
  processedAt: z.string().nullable(),
  restock: z.boolean(),
  /** Currency of `amount`: the one the buyer was refunded in (the presentment currency). */
  currency: z.string(),
  /** Currency of the lines' `subtotal` and `tax`: the shop's currency. */
  shopCurrency: z.string(),
  /** Money returned to the buyer: successful refund transactions. */
  amount: Money,
  lines: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string().nullable(),
      quantity: z.number().int(),
      restockType: z.string().nullable(),
      subtotal: Money,
      tax: Money,
    }),
  ),
  transactions: z.array(
    z.object({
      transactionId: z.string(),
      kind: z.string(),
      status: z.string(),
      amount: Money,
      currency: z.string(),
      gateway: z.string().nullable(),
    }),
  ),
});
export type CanonicalRefund = z.infer<typeof CanonicalRefundSchema>;

/**
 * Maps `refunds/create`. Line amounts are in the shop's currency; transactions in the
 * currency they were charged in. The refund note is free text and stays in the hub.
 */
export function toCanonicalRefund(refund: ShopifyRefundPayload): CanonicalRefund {
  const shopCurrency =
    refund.refund_line_items[0]?.subtotal_set.shop_money.currency_code ??
    refund.transactions[0]?.currency ??
    "USD";
  const refunded = refund.transactions.filter(
    (transaction) => transaction.kind === "refund" && transaction.status === "success",
  );
  const currency = refunded[0]?.currency ?? shopCurrency;

  return CanonicalRefundSchema.parse({
    refundId: refund.id,
    orderId: refund.order_id,
    createdAt: refund.created_at,
    processedAt: refund.processed_at,
    restock: refund.restock,
    currency,
    shopCurrency,
    amount: sumAmounts(
      refunded.map((transaction) => transaction.amount),
      currency,
    ),
    lines: refund.refund_line_items.map((line) => ({
      lineId: line.line_item_id,
      sku: line.line_item?.sku ?? null,
      quantity: line.quantity,
      restockType: line.restock_type,
      subtotal: normaliseAmount(line.subtotal_set.shop_money.amount, shopCurrency),
      tax: normaliseAmount(line.total_tax_set.shop_money.amount, shopCurrency),
    })),
    transactions: refund.transactions.map((transaction) => ({
      transactionId: transaction.id,
      kind: transaction.kind,
      status: transaction.status,
      amount: normaliseAmount(transaction.amount, transaction.currency),
      currency: transaction.currency,
      gateway: transaction.gateway,
    })),
  });
}

function toAddress(address: ShopifyAddress | null): CanonicalAddress | null {
  if (!address) return null;
  return {
    name: address.name ?? joinName(address.first_name, address.last_name),
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.province_code,
    postalCode: address.zip,
    country: address.country,
    countryCode: address.country_code,
    phone: address.phone,
  };
}

function toTaxes(
  taxLines: ShopifyOrderPayload["line_items"][number]["tax_lines"],
  currency: string,
): CanonicalOrder["lines"][number]["taxes"] {
  return taxLines.map((tax) => ({
    title: tax.title,
    rate: tax.rate,
    amount: normaliseAmount(tax.price, currency),
  }));
}

function joinName(first: string | null, last: string | null): string | null {
  const name = [first, last].filter(Boolean).join(" ");
  return name || null;
}
