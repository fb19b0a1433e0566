import { z } from "zod";
import type { HttpRequest } from "../../../functions/contract-prices/src/types";
import {
  CompanyIdSchema,
  CompanyLocationIdSchema,
  KnownCurrencySchema,
  SkuSchema,
} from "../../../src/pricing/identifiers";

// The hub's FunctionPriceRequestSchema lives beside Worker-only imports; this copy of its
// shape reuses the hub's own identifier rules. test/functions sends the body to the real
// endpoint in workerd as well.
const HubRequestSchema = z.object({
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  currency: KnownCurrencySchema,
  companyId: CompanyIdSchema.nullish(),
  companyLocationId: CompanyLocationIdSchema.nullish(),
  lines: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        sku: SkuSchema,
        quantity: z.number().int().positive().max(1_000_000),
      }),
    )
    .min(1)
    .max(250),
});

/** The fetch target's body as the hub would read it. */
export function hubRequestOf(request: HttpRequest | null) {
  const parsed = HubRequestSchema.safeParse(request?.jsonBody);
  if (!parsed.success) return { success: false as const, data: { lines: [], companyId: null } };
  return { success: true as const, data: parsed.data };
}
