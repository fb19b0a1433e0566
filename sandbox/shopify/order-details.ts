import { z } from "zod";
import { paginate } from "./search";
import type { StoredOrder } from "./state";

/**
 * The stand-in's answer to OrderForExport and OrderLineItems: an order seeded with a
 * REST-shaped payload (for example samples/webhooks/orders-create-*.json), turned into
 * the Admin GraphQL shape. An order seeded without one reads as an empty USD order.
 */

const Amount = z.union([z.string(), z.number()]).transform(String);
const Id = z.union([z.number(), z.string()]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);

const TaxLine = z.object({ title: z.string(), rate: z.number().nullish(), price: Amount });
const Allocation = z.object({ amount: Amount, discount_application_index: z.number().int() });
const Address = z
  .object({
    first_name: text,
    last_name: text,
    name: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    province_code: text,
    zip: text,
    country: text,
    country_code: text,
    phone: text,
  })
  .nullish();

const RestOrderSchema = z.object({
  created_at: z.string().optional(),
  processed_at: text,
  cancelled_at: text,
  cancel_reason: text,
  test: z.boolean().default(false),
  currency: z.string().default("USD"),
  presentment_currency: z.string().optional(),
  financial_status: text,
  fulfillment_status: text,
  taxes_included: z.boolean().default(false),
  email: text,
  phone: text,
  note: text,
  browser_ip: text,
  po_number: text,
  payment_gateway_names: z.array(z.string()).default([]),
  company: z.object({ id: Id, location_id: Id.nullish() }).nullish(),
  payment_terms: z
    .object({
      payment_terms_name: z.string(),
      payment_terms_type: z.string(),
      due_in_days: z.number().int().nullish(),
      payment_schedules: z.array(z.object({ due_at: text })).default([]),
    })
    .nullish(),
  customer: z
    .object({ id: Id, email: text, phone: text, first_name: text, last_name: text })
    .nullish(),
  billing_address: Address,
  shipping_address: Address,
  line_items: z
    .array(
      z.object({
        id: Id,
        sku: text,
        title: z.string(),
        variant_title: text,
        quantity: z.number().int(),
        requires_shipping: z.boolean().default(true),
        taxable: z.boolean().default(true),
        variant_id: Id.nullish(),
        product_id: Id.nullish(),
        price: Amount,
        total_discount: Amount.default("0.00"),
        tax_lines: z.array(TaxLine).default([]),
        discount_allocations: z.array(Allocation).default([]),
      }),
    )
    .default([]),
  shipping_lines: z
    .array(
      z.object({
        code: text,
        title: z.string(),
        price: Amount,
        discounted_price: Amount.optional(),
        tax_lines: z.array(TaxLine).default([]),
        discount_allocations: z.array(Allocation).default([]),
      }),
    )
    .default([]),
  discount_applications: z
    .array(
      z.object({
        type: z.string(),
        target_type: z.string(),
        value: Amount,
        value_type: z.string(),
        code: z.string().optional(),
      }),
    )
    .default([]),
  subtotal_price: Amount.default("0.00"),
  total_discounts: Amount.default("0.00"),
  total_tax: Amount.default("0.00"),
  total_price: Amount.default("0.00"),
  total_outstanding: Amount.default("0.00"),
  total_shipping_price_set: z
    .object({
      shop_money: z.object({ amount: Amount }),
      presentment_money: z.object({ amount: Amount, currency_code: z.string() }),
    })
    .optional(),
  total_price_set: z
    .object({ presentment_money: z.object({ amount: Amount, currency_code: z.string() }) })
    .optional(),
});
type RestOrder = z.infer<typeof RestOrderSchema>;

/** A REST order payload the stand-in can answer with; the seed endpoint checks it. */
export const SeedOrderPayloadSchema = z
  .record(z.string(), z.unknown())
  .superRefine((payload, ctx) => {
    const parsed = RestOrderSchema.safeParse(payload);
    if (!parsed.success) ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
  });

/** The GraphQL order without its line items, and the line items to page through. */
export function graphqlOrder(order: StoredOrder): {
  order: Record<string, unknown>;
  lines: Record<string, unknown>[];
} {
  const rest = RestOrderSchema.parse(order.payload ?? {});
  const currency = rest.currency;
  const shopMoney = (amount: string) => ({ shopMoney: { amount } });
  const both = (amount: string, presentment?: { amount: string; currency_code: string }) => ({
    shopMoney: { amount, currencyCode: currency },
    presentmentMoney: {
      amount: presentment?.amount ?? amount,
      currencyCode: presentment?.currency_code ?? currency,
    },
  });
  const shipping = rest.shipping_lines.map((line) => line.discounted_price ?? line.price);

  return {
    order: {
      id: order.id,
      legacyResourceId: order.legacyResourceId,
      name: order.name,
      createdAt: rest.created_at ?? order.updatedAt,
      updatedAt: order.updatedAt,
      processedAt: rest.processed_at ?? rest.created_at ?? order.updatedAt,
      cancelledAt: rest.cancelled_at,
      cancelReason: rest.cancel_reason?.toUpperCase() ?? null,
      test: rest.test,
      currencyCode: currency,
      presentmentCurrencyCode: rest.presentment_currency ?? currency,
      displayFinancialStatus: rest.financial_status?.toUpperCase() ?? null,
      displayFulfillmentStatus: FULFILLMENT[rest.fulfillment_status ?? ""] ?? "UNFULFILLED",
      taxesIncluded: rest.taxes_included,
      email: rest.email,
      phone: rest.phone,
      note: rest.note,
      clientIp: rest.browser_ip,
      poNumber: rest.po_number,
      tags: order.tags,
      paymentGatewayNames: rest.payment_gateway_names,
      purchasingEntity: purchasingEntity(rest),
      paymentTerms: rest.payment_terms
        ? {
            paymentTermsName: rest.payment_terms.payment_terms_name,
            paymentTermsType: rest.payment_terms.payment_terms_type.toUpperCase(),
            dueInDays: rest.payment_terms.due_in_days ?? null,
            paymentSchedules: {
              nodes: rest.payment_terms.payment_schedules
                .slice(0, 1)
                .map((schedule) => ({ dueAt: schedule.due_at })),
            },
          }
        : null,
      customer: rest.customer
        ? {
            legacyResourceId: rest.customer.id,
            firstName: rest.customer.first_name,
            lastName: rest.customer.last_name,
            defaultEmailAddress: rest.customer.email ? { emailAddress: rest.customer.email } : null,
            defaultPhoneNumber: rest.customer.phone ? { phoneNumber: rest.customer.phone } : null,
          }
        : null,
      billingAddress: address(rest.billing_address),
      shippingAddress: address(rest.shipping_address),
      shippingLines: {
        nodes: rest.shipping_lines.map((line) => ({
          code: line.code,
          title: line.title,
          originalPriceSet: shopMoney(line.price),
          discountedPriceSet: shopMoney(line.discounted_price ?? line.price),
          taxLines: line.tax_lines.map(taxLine),
          discountAllocations: line.discount_allocations.map(allocation),
        })),
      },
      discountApplications: {
        nodes: rest.discount_applications.map((application, index) => ({
          index,
          targetType: application.target_type.toUpperCase(),
          value:
            application.value_type === "percentage"
              ? { percentage: Number(application.value) }
              : { amount: application.value, currencyCode: currency },
          ...(application.type === "discount_code" && application.code
            ? { code: application.code }
            : {}),
        })),
      },
      subtotalPriceSet: shopMoney(rest.subtotal_price),
      totalDiscountsSet: shopMoney(rest.total_discounts),
      totalTaxSet: shopMoney(rest.total_tax),
      totalOutstandingSet: shopMoney(rest.total_outstanding),
      totalPriceSet: both(rest.total_price, rest.total_price_set?.presentment_money),
      totalShippingPriceSet: both(
        rest.total_shipping_price_set?.shop_money.amount ?? sumDecimals(shipping),
        rest.total_shipping_price_set?.presentment_money,
      ),
    },
    lines: rest.line_items.map((line) => ({
      id: `gid://shopify/LineItem/${line.id}`,
      sku: line.sku,
      title: line.title,
      variantTitle: line.variant_title,
      quantity: line.quantity,
      requiresShipping: line.requires_shipping,
      taxable: line.taxable,
      variant: line.variant_id ? { legacyResourceId: line.variant_id } : null,
      product: line.product_id ? { legacyResourceId: line.product_id } : null,
      originalUnitPriceSet: shopMoney(line.price),
      totalDiscountSet: shopMoney(line.total_discount),
      taxLines: line.tax_lines.map(taxLine),
      discountAllocations: line.discount_allocations.map(allocation),
    })),
  };
}

/** One page of line items as a `LineItemConnection`. */
export function lineItemPage(
  lines: Record<string, unknown>[],
  first: number,
  after: string | null | undefined,
) {
  const page = paginate(lines, first, after);
  return {
    nodes: page.nodes,
    pageInfo: { hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor },
  };
}

/** Tags in the REST payload's comma-separated form, as the stored order keeps them. */
export function payloadTags(payload: Record<string, unknown> | undefined): string[] {
  const tags = payload?.tags;
  if (typeof tags !== "string") return [];
  return tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** The order name (`#1001`) in a REST payload, if it has one. */
export function payloadName(payload: Record<string, unknown> | undefined): string | undefined {
  return typeof payload?.name === "string" ? payload.name : undefined;
}

const FULFILLMENT: Record<string, string> = {
  fulfilled: "FULFILLED",
  partial: "PARTIALLY_FULFILLED",
  restocked: "RESTOCKED",
};

function purchasingEntity(rest: RestOrder) {
  if (rest.company) {
    return {
      company: { id: `gid://shopify/Company/${rest.company.id}` },
      location: rest.company.location_id
        ? { id: `gid://shopify/CompanyLocation/${rest.company.location_id}` }
        : undefined,
    };
  }
  // A Customer: the hub selects only the PurchasingCompany fragment, so it reads as {}.
  return rest.customer ? {} : null;
}

/** Exact sum of non-negative decimal strings, in scaled integers (no float rounding). */
function sumDecimals(amounts: string[]): string {
  const scale = Math.max(2, ...amounts.map((amount) => (amount.split(".")[1] ?? "").length));
  const total = amounts.reduce((sum, amount) => {
    const [whole = "0", fraction = ""] = amount.split(".");
    return sum + BigInt(whole + fraction.padEnd(scale, "0"));
  }, 0n);
  const digits = total.toString().padStart(scale + 1, "0");
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function address(value: RestOrder["billing_address"]) {
  if (!value) return null;
  return {
    firstName: value.first_name,
    lastName: value.last_name,
    name: value.name,
    company: value.company,
    address1: value.address1,
    address2: value.address2,
    city: value.city,
    province: value.province,
    provinceCode: value.province_code,
    zip: value.zip,
    country: value.country,
    countryCodeV2: value.country_code,
    phone: value.phone,
  };
}

function taxLine(tax: z.infer<typeof TaxLine>) {
  return {
    title: tax.title,
    rate: tax.rate ?? null,
    priceSet: { shopMoney: { amount: tax.price } },
  };
}

function allocation(value: z.infer<typeof Allocation>) {
  return {
    allocatedAmountSet: { shopMoney: { amount: value.amount } },
    discountApplication: { index: value.discount_application_index },
  };
}
