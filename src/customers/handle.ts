import { z } from "zod";
import {
  deleteCompany,
  deleteContact,
  deleteCustomer,
  deleteLocation,
  upsertContact,
  upsertLocation,
} from "../db/buyer-directory";
import { PermanentError } from "../queues/errors";
import type { DomainHandler } from "../queues/handler";
import { loadPayload } from "../queues/payload-store";
import { gidNumber } from "../shopify/gid";

/**
 * The `customers` queue consumer: keeps the buyer directory (which customer buys for
 * which company and location) that the App Proxy price route reads. Idempotent: every
 * topic is an upsert or a delete keyed by Shopify's ids.
 */
export const handleCustomerEvent: DomainHandler = async (envelope, ctx) => {
  const payload = await loadPayload(ctx.env.PAYLOADS, envelope);
  const shop = envelope.shop;
  const { db } = ctx;

  switch (envelope.topic) {
    case "company_contacts/create":
    case "company_contacts/update": {
      const contact = parse(ContactSchema, payload, envelope.topic);
      if (!contact.customerId) return;
      await upsertContact(db, { shop, ...contact, customerId: contact.customerId });
      return;
    }
    case "company_contacts/delete":
      await deleteContact(
        db,
        shop,
        parse(IdOnlySchema("CompanyContact"), payload, envelope.topic).id,
      );
      return;
    case "company_locations/create":
    case "company_locations/update":
      await upsertLocation(db, { shop, ...parse(LocationSchema, payload, envelope.topic) });
      return;
    case "company_locations/delete":
      await deleteLocation(
        db,
        shop,
        parse(IdOnlySchema("CompanyLocation"), payload, envelope.topic).id,
      );
      return;
    case "companies/delete":
      await deleteCompany(db, shop, parse(IdOnlySchema("Company"), payload, envelope.topic).id);
      return;
    case "customers/delete":
      await deleteCustomer(db, shop, parse(CustomerIdSchema, payload, envelope.topic).id);
      return;
    default:
      // companies/create|update and customers/create|update carry nothing the directory
      // keys on: contacts and locations arrive under their own topics.
      ctx.logger.debug("customer topic needs no directory change");
  }
};

const IdOnlySchema = (resource: string) =>
  z
    .object({ admin_graphql_api_id: gidNumber(resource) })
    .transform((p) => ({ id: p.admin_graphql_api_id }));

const CompanyRefSchema = z.object({ admin_graphql_api_id: gidNumber("Company") });

const ContactSchema = z
  .object({
    admin_graphql_api_id: gidNumber("CompanyContact"),
    customer_admin_graphql_api_id: gidNumber("Customer").nullish(),
    company: CompanyRefSchema,
  })
  .transform((p) => ({
    contactId: p.admin_graphql_api_id,
    customerId: p.customer_admin_graphql_api_id ?? null,
    companyId: p.company.admin_graphql_api_id,
  }));

const LocationSchema = z
  .object({ admin_graphql_api_id: gidNumber("CompanyLocation"), company: CompanyRefSchema })
  .transform((p) => ({
    locationId: p.admin_graphql_api_id,
    companyId: p.company.admin_graphql_api_id,
  }));

const CustomerIdSchema = z
  .object({ id: z.union([z.number().int(), z.string().regex(/^\d+$/)]) })
  .transform((p) => ({ id: String(p.id) }));

function parse<S extends z.ZodType>(schema: S, payload: unknown, topic: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new PermanentError("invalid_payload", `${topic}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
