import { z } from "zod";
import { gidNumber } from "../gid";
import { BUYER_COMPANIES } from "./documents";
import type { AdminContext } from "./run-operation";
import { runAdminOperation } from "./run-operation";

const BuyerCompaniesSchema = z.object({
  customer: z
    .object({
      companyContactProfiles: z.array(
        z.object({
          id: gidNumber("CompanyContact"),
          company: z.object({ id: gidNumber("Company") }),
          roleAssignments: z.object({
            nodes: z.array(
              z.object({
                companyLocation: z.object({ id: gidNumber("CompanyLocation") }).nullable(),
              }),
            ),
          }),
        }),
      ),
    })
    .nullable(),
});

/** One company the customer is a contact of, with the locations their roles cover. */
export interface BuyerProfile {
  contactId: string;
  companyId: string;
  locationIds: string[];
}

// A query with a 50-node connection inside a list; Shopify's estimate stays well under 60.
const ESTIMATED_COST = 60;

/**
 * Asks the Admin API which companies (and locations) `customerId` buys for. An unknown
 * customer and a customer with no company both give `[]`.
 * @throws {RetryableError} / {PermanentError} as {@link runAdminOperation} does.
 */
export async function fetchBuyerCompanies(
  ctx: AdminContext,
  shop: string,
  customerId: string,
): Promise<BuyerProfile[]> {
  const data = await runAdminOperation(ctx, shop, {
    name: "BuyerCompanies",
    document: BUYER_COMPANIES,
    variables: { customerId: `gid://shopify/Customer/${customerId}` },
    estimatedCost: ESTIMATED_COST,
    dataSchema: BuyerCompaniesSchema,
  });
  return (data.customer?.companyContactProfiles ?? []).map((profile) => ({
    contactId: profile.id,
    companyId: profile.company.id,
    locationIds: profile.roleAssignments.nodes.flatMap((node) =>
      node.companyLocation ? [node.companyLocation.id] : [],
    ),
  }));
}
