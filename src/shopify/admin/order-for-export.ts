import type { z } from "zod";
import { sumAmounts } from "../../domain/money";
import type { ShopifyOrderPayloadSchema } from "../../orders/shopify-payload";
import { PermanentError } from "../../queues/errors";
import { ORDER_FOR_EXPORT, ORDER_LINE_ITEMS } from "./documents";
import {
  type GraphqlAddress,
  type GraphqlLineItem,
  type GraphqlOrder,
  OrderForExportDataSchema,
  OrderLineItemsDataSchema,
} from "./order-for-export-schema";
import { type AdminContext, runAdminOperation } from "./run-operation";

/**
 * Line items per request. A line with its variant, product, prices, tax lines and discount
 * allocations is about 13 cost points, so 50 lines keep OrderForExport well under
 * Shopify's 1,000-point ceiling for a single query
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 */
export const LINE_ITEMS_PAGE_SIZE = 50;
const LINE_ITEM_COST = 13;
// The order, its customer, addresses, terms, money bags, 10 shipping lines and 20
// discount applications, besides the lines.
const ORDER_COST = 150 + LINE_ITEMS_PAGE_SIZE * LINE_ITEM_COST;
const LINE_PAGE_COST = 3 + LINE_ITEMS_PAGE_SIZE * LINE_ITEM_COST;
/** Orders with more lines than this are refused rather than fetched page by page forever. */
const MAX_LINE_PAGES = 20;

/**
 * An order in the shape of Shopify's `orders/*` webhook payload (REST), as far as the
 * export reads it (src/orders/shopify-payload.ts), plus the payment gateways, which payout
 * reconciliation reads.
 */
export type WebhookOrderPayload = z.input<typeof ShopifyOrderPayloadSchema> & {
  payment_gateway_names: string[];
};

/**
 * Fetches one order by GID with every line item and returns it in the webhook's REST
 * shape, so it can go through the same path as a delivered webhook. Returns null when
 * Shopify has no such order (deleted, or never existed).
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 * @throws {PermanentError} on Admin API failures, unexpected data or an order with more
 *   than MAX_LINE_PAGES pages of lines.
 */
export async function fetchOrderForExport(
  ctx: AdminContext,
  shop: string,
  orderGid: string,
): Promise<WebhookOrderPayload | null> {
  const data = await runAdminOperation(ctx, shop, {
    name: "OrderForExport",
    document: ORDER_FOR_EXPORT,
    variables: { id: orderGid, lineItemsFirst: LINE_ITEMS_PAGE_SIZE },
    estimatedCost: ORDER_COST,
    dataSchema: OrderForExportDataSchema,
  });
  if (!data.order) return null;

  const lines = [...data.order.lineItems.nodes];
  let page = data.order.lineItems.pageInfo;
  for (let pages = 1; page.hasNextPage; pages += 1) {
    if (pages >= MAX_LINE_PAGES) {
      throw new PermanentError(
        "order_too_large",
        `${orderGid} has more than ${MAX_LINE_PAGES * LINE_ITEMS_PAGE_SIZE} line items`,
      );
    }
    const next = await runAdminOperation(ctx, shop, {
      name: "OrderLineItems",
      document: ORDER_LINE_ITEMS,
      variables: { id: orderGid, first: LINE_ITEMS_PAGE_SIZE, after: page.endCursor },
      estimatedCost: LINE_PAGE_COST,
      dataSchema: OrderLineItemsDataSchema,
    });
    if (!next.order) return null;
    lines.push(...next.order.lineItems.nodes);
    page = next.order.lineItems.pageInfo;
  }

  return toWebhookOrderPayload(data.order, lines);
}

/**
 * Maps an Admin GraphQL order to the REST shape of its webhook. Pure. Enum values become
 * the REST spellings (`PAID` → `paid`, `PARTIALLY_FULFILLED` → `partial`); numeric ids
 * come from `legacyResourceId` or the tail of the GID.
 */
export function toWebhookOrderPayload(
  order: GraphqlOrder,
  lines: GraphqlLineItem[] = order.lineItems.nodes,
): WebhookOrderPayload {
  const currency = order.currencyCode;
  const company = order.purchasingEntity?.company;
  const location = order.purchasingEntity?.location;

  return {
    id: order.legacyResourceId,
    admin_graphql_api_id: order.id,
    name: order.name,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    currency,
    presentment_currency: order.presentmentCurrencyCode,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillment_status: FULFILLMENT_STATUS[order.displayFulfillmentStatus] ?? null,
    taxes_included: order.taxesIncluded,
    test: order.test,
    email: order.email,
    phone: order.phone,
    note: order.note,
    browser_ip: order.clientIp,
    po_number: order.poNumber,
    tags: order.tags.join(", "),
    payment_gateway_names: order.paymentGatewayNames,
    company: company
      ? { id: numericId(company.id), location_id: location ? numericId(location.id) : null }
      : null,
    payment_terms: order.paymentTerms && {
      payment_terms_name: order.paymentTerms.paymentTermsName,
      payment_terms_type: order.paymentTerms.paymentTermsType.toLowerCase(),
      due_in_days: order.paymentTerms.dueInDays,
      payment_schedules: order.paymentTerms.paymentSchedules.nodes.map((schedule) => ({
        due_at: schedule.dueAt,
      })),
    },
    customer: order.customer && {
      id: order.customer.legacyResourceId,
      email: order.customer.defaultEmailAddress?.emailAddress ?? null,
      phone: order.customer.defaultPhoneNumber?.phoneNumber ?? null,
      first_name: order.customer.firstName,
      last_name: order.customer.lastName,
    },
    billing_address: toAddress(order.billingAddress),
    shipping_address: toAddress(order.shippingAddress),
    line_items: lines.map(toLineItem),
    shipping_lines: order.shippingLines.nodes.map((line) => ({
      code: line.code,
      title: line.title,
      price: line.originalPriceSet.shopMoney.amount,
      discounted_price: line.discountedPriceSet.shopMoney.amount,
      tax_lines: line.taxLines.map(toTaxLine),
    })),
    discount_codes: discountCodes(order, lines, currency),
    subtotal_price: order.subtotalPriceSet?.shopMoney.amount ?? "0",
    total_discounts: order.totalDiscountsSet?.shopMoney.amount ?? "0",
    total_tax: order.totalTaxSet?.shopMoney.amount ?? "0",
    total_price: order.totalPriceSet.shopMoney.amount,
    total_outstanding: order.totalOutstandingSet.shopMoney.amount,
    total_price_set: toMoneySet(order.totalPriceSet),
    total_shipping_price_set: toMoneySet(order.totalShippingPriceSet),
  };
}

// REST knows only these three; every other display status reads as null (unfulfilled).
const FULFILLMENT_STATUS: Record<string, string> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  RESTOCKED: "restocked",
};

function toLineItem(line: GraphqlLineItem) {
  return {
    id: numericId(line.id),
    sku: line.sku,
    variant_id: line.variant?.legacyResourceId ?? null,
    product_id: line.product?.legacyResourceId ?? null,
    title: line.title,
    variant_title: line.variantTitle,
    quantity: line.quantity,
    price: line.originalUnitPriceSet.shopMoney.amount,
    total_discount: line.totalDiscountSet.shopMoney.amount,
    requires_shipping: line.requiresShipping,
    taxable: line.taxable,
    tax_lines: line.taxLines.map(toTaxLine),
    discount_allocations: line.discountAllocations.map((allocation) => ({
      amount: allocation.allocatedAmountSet.shopMoney.amount,
      discount_application_index: allocation.discountApplication.index,
    })),
  };
}

function toTaxLine(tax: GraphqlLineItem["taxLines"][number]) {
  return { title: tax.title, rate: tax.rate ?? 0, price: tax.priceSet.shopMoney.amount };
}

function toAddress(address: GraphqlAddress | null) {
  if (!address) return null;
  return {
    first_name: address.firstName,
    last_name: address.lastName,
    name: address.name,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    province_code: address.provinceCode,
    zip: address.zip,
    country: address.country,
    country_code: address.countryCodeV2,
    phone: address.phone,
  };
}

function toMoneySet(bag: GraphqlOrder["totalPriceSet"]) {
  return {
    shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode },
    presentment_money: {
      amount: bag.presentmentMoney.amount,
      currency_code: bag.presentmentMoney.currencyCode,
    },
  };
}

/**
 * REST's `discount_codes`: each code with the amount it took off the order, which GraphQL
 * only gives as allocations on lines and shipping lines.
 */
function discountCodes(order: GraphqlOrder, lines: GraphqlLineItem[], currency: string) {
  const allocations = [...lines, ...order.shippingLines.nodes].flatMap(
    (line) => line.discountAllocations,
  );
  return order.discountApplications.nodes.flatMap((application) => {
    if (application.code === undefined) return [];
    const amounts = allocations
      .filter((allocation) => allocation.discountApplication.index === application.index)
      .map((allocation) => allocation.allocatedAmountSet.shopMoney.amount);
    const type =
      application.targetType === "SHIPPING_LINE"
        ? "shipping"
        : application.value.percentage !== undefined
          ? "percentage"
          : "fixed_amount";
    return [{ code: application.code, amount: sumAmounts(amounts, currency), type }];
  });
}

/** The numeric tail of a GID (`gid://shopify/LineItem/123` → "123"). */
function numericId(gid: string): string {
  const id = gid.slice(gid.lastIndexOf("/") + 1);
  if (!/^\d+$/.test(id)) {
    throw new PermanentError("shopify_unexpected_data", `"${gid}" is not a numeric Shopify GID`);
  }
  return id;
}
