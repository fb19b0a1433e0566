import { z } from "zod";
import { ShopDomainSchema } from "../config/settings";

/** The Shopify webhook headers the hub needs, by their lowercase HTTP names. */
export const WebhookHeadersSchema = z.object({
  "x-shopify-topic": z.string().regex(/^[a-z_]+\/[a-z_]+$/, "must look like orders/create"),
  "x-shopify-shop-domain": ShopDomainSchema,
  "x-shopify-api-version": z.string().regex(/^(\d{4}-\d{2}|unstable)$/, "must look like 2026-10"),
  "x-shopify-webhook-id": z.string().min(1).max(255),
  "x-shopify-event-id": z.string().min(1).max(255),
  "x-shopify-triggered-at": z.iso.datetime({ offset: true }),
  "x-shopify-name": z.string().max(255).optional(),
});
export type WebhookHeaders = z.infer<typeof WebhookHeadersSchema>;

export type HeaderCheck =
  | { ok: true; headers: WebhookHeaders }
  | { ok: false; missing: string[]; invalid: string[] };

/** Reads and validates every header at once, so one answer names all that is wrong. */
export function parseWebhookHeaders(read: (name: string) => string | undefined): HeaderCheck {
  const names = Object.keys(WebhookHeadersSchema.shape) as (keyof WebhookHeaders)[];
  const raw = Object.fromEntries(names.map((name) => [name, read(name)]));

  const parsed = WebhookHeadersSchema.safeParse(raw);
  if (parsed.success) return { ok: true, headers: parsed.data };

  const missing: string[] = [];
  const invalid: string[] = [];
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    if (raw[name] === undefined) missing.push(name);
    else invalid.push(`${name}: ${issue.message}`);
  }
  return { ok: false, missing, invalid };
}
