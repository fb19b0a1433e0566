import { z } from "zod";
import { PermanentError } from "../../queues/errors";
import { ORDER_WRITE_BACK } from "./documents";
import { userErrorsFailure } from "./failures";
import { UserErrorSchema } from "./graphql-response";
import { type AdminContext, runAdminOperation } from "./run-operation";

/** The app-owned metafield namespace; only this app can write it. */
export const WRITE_BACK_NAMESPACE = "$app:edge_hub";

// metafieldsSet and tagsAdd cost 10 points each.
const ESTIMATED_COST = 20;

export const OrderReferenceSchema = z.object({
  orderGid: z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "must be an Order GID"),
  target: z.enum(["erp", "oms"]),
  // tagsAdd splits a tag on commas, and Shopify caps a tag at 255 characters.
  externalRef: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((value) => !value.includes(","), "must not contain a comma"),
});
export type OrderReference = z.input<typeof OrderReferenceSchema>;

const OrderWriteBackDataSchema = z.object({
  metafieldsSet: z.object({
    metafields: z
      .array(
        z.object({ id: z.string(), namespace: z.string(), key: z.string(), value: z.string() }),
      )
      .nullable(),
    userErrors: z.array(UserErrorSchema),
  }),
  tagsAdd: z.object({ userErrors: z.array(UserErrorSchema) }),
});

/** What was written: the metafield's GID and the tag. */
export interface WrittenReference {
  metafieldId: string | undefined;
  tag: string;
}

/**
 * Records a connector's external reference on a Shopify order in one request: metafield
 * `$app:edge_hub.{erp|oms}_reference` and tag `{erp|oms}:{externalRef}`. Idempotent: a
 * repeat sets the same value and adds a tag that is already there.
 * @throws {PermanentError} `invalid_write_back` for a bad reference, `shopify_user_errors`
 *   naming each rejected field, or any permanent Admin API failure.
 * @throws {RetryableError} when throttled or Shopify is unreachable.
 */
export async function writeBackOrderReference(
  ctx: AdminContext,
  shop: string,
  reference: OrderReference,
): Promise<WrittenReference> {
  const parsed = OrderReferenceSchema.safeParse(reference);
  if (!parsed.success) {
    throw new PermanentError("invalid_write_back", z.prettifyError(parsed.error));
  }
  const { orderGid, target, externalRef } = parsed.data;
  const tag = `${target}:${externalRef}`;

  const data = await runAdminOperation(ctx, shop, {
    name: "OrderWriteBack",
    document: ORDER_WRITE_BACK,
    variables: {
      orderId: orderGid,
      tags: [tag],
      metafields: [
        {
          ownerId: orderGid,
          namespace: WRITE_BACK_NAMESPACE,
          key: `${target}_reference`,
          type: "single_line_text_field",
          value: externalRef,
        },
      ],
    },
    estimatedCost: ESTIMATED_COST,
    dataSchema: OrderWriteBackDataSchema,
  });

  const rejected = userErrorsFailure("OrderWriteBack", {
    metafieldsSet: data.metafieldsSet.userErrors,
    tagsAdd: data.tagsAdd.userErrors,
  });
  if (rejected) throw rejected;
  return { metafieldId: data.metafieldsSet.metafields?.[0]?.id, tag };
}
