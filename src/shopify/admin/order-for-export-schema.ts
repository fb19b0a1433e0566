import { z } from "zod";
import { PageInfoSchema } from "./graphql-response";

/**
 * The `data` of OrderForExport and OrderLineItems (./documents.ts), parsed before the
 * mapper in ./order-for-export.ts turns it into the webhook's REST shape.
 */

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal string");
const ShopMoney = z.object({ shopMoney: z.object({ amount: Decimal }) });
const BothMonies = z.object({
  shopMoney: z.object({ amount: Decimal, currencyCode: z.string() }),
  presentmentMoney: z.object({ amount: Decimal, currencyCode: z.string() }),
});
const LegacyId = z.object({ legacyResourceId: z.string().regex(/^\d+$/) });

const TaxLineSchema = z.object({
  title: z.string(),
  rate: z.number().nullable(),
  priceSet: ShopMoney,
});

const DiscountAllocationSchema = z.object({
  allocatedAmountSet: ShopMoney,
  discountApplication: z.object({ index: z.number().int() }),
});

export const GraphqlLineItemSchema = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  quantity: z.number().int(),
  requiresShipping: z.boolean(),
  taxable: z.boolean(),
  variant: LegacyId.nullable(),
  product: LegacyId.nullable(),
  originalUnitPriceSet: ShopMoney,
  totalDiscountSet: ShopMoney,
  taxLines: z.array(TaxLineSchema),
  discountAllocations: z.array(DiscountAllocationSchema),
});
export type GraphqlLineItem = z.infer<typeof GraphqlLineItemSchema>;

const LineItemPageSchema = z.object({
  nodes: z.array(GraphqlLineItemSchema),
  pageInfo: PageInfoSchema,
});

const AddressSchema = z.object({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  zip: z.string().nullable(),
  country: z.string().nullable(),
  countryCodeV2: z.string().nullable(),
  phone: z.string().nullable(),
});
export type GraphqlAddress = z.infer<typeof AddressSchema>;

export const GraphqlOrderSchema = z.object({
  id: z.string(),
  legacyResourceId: z.string().regex(/^\d+$/),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  test: z.boolean(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  taxesIncluded: z.boolean(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  clientIp: z.string().nullable(),
  poNumber: z.string().nullable(),
  tags: z.array(z.string()),
  paymentGatewayNames: z.array(z.string()),
  // A union: only PurchasingCompany is selected, a customer purchase reads as `{}`.
  purchasingEntity: z
    .object({
      company: z.object({ id: z.string() }).optional(),
      location: z.object({ id: z.string() }).optional(),
    })
    .nullable(),
  paymentTerms: z
    .object({
      paymentTermsName: z.string(),
      paymentTermsType: z.string(),
      dueInDays: z.number().int().nullable(),
      paymentSchedules: z.object({
        nodes: z.array(z.object({ dueAt: z.string().nullable() })),
      }),
    })
    .nullable(),
  customer: z
    .object({
      legacyResourceId: z.string().regex(/^\d+$/),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      defaultEmailAddress: z.object({ emailAddress: z.string() }).nullable(),
      defaultPhoneNumber: z.object({ phoneNumber: z.string() }).nullable(),
    })
    .nullable(),
  billingAddress: AddressSchema.nullable(),
  shippingAddress: AddressSchema.nullable(),
  lineItems: LineItemPageSchema,
  shippingLines: z.object({
    nodes: z.array(
      z.object({
        code: z.string().nullable(),
        title: z.string(),
        originalPriceSet: ShopMoney,
        discountedPriceSet: ShopMoney,
        taxLines: z.array(TaxLineSchema),
        discountAllocations: z.array(DiscountAllocationSchema),
      }),
    ),
  }),
  discountApplications: z.object({
    nodes: z.array(
      z.object({
        index: z.number().int(),
        targetType: z.string(),
        value: z.object({ percentage: z.number().optional(), amount: Decimal.optional() }),
        code: z.string().optional(),
      }),
    ),
  }),
  subtotalPriceSet: ShopMoney.nullable(),
  totalDiscountsSet: ShopMoney.nullable(),
  totalTaxSet: ShopMoney.nullable(),
  totalOutstandingSet: ShopMoney,
  totalPriceSet: BothMonies,
  totalShippingPriceSet: BothMonies,
});
export type GraphqlOrder = z.infer<typeof GraphqlOrderSchema>;

export const OrderForExportDataSchema = z.object({ order: GraphqlOrderSchema.nullable() });

export const OrderLineItemsDataSchema = z.object({
  order: z.object({ lineItems: LineItemPageSchema }).nullable(),
});
