import { z } from "zod";

/** A `*.myshopify.com` domain, the only form Shopify sends in `X-Shopify-Shop-Domain`. */
export const ShopDomainSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a lowercase *.myshopify.com domain");

const optionalUrl = z
  .union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })])
  .default("")
  .transform((value) => value || undefined);

const positiveInt = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((value, ctx) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed <= 0) {
        ctx.addIssue({ code: "custom", message: `must be a positive integer, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

export const AdminTokenSchema = z.object({
  name: z.string().min(1),
  token: z.string().min(16, "admin tokens must be at least 16 characters"),
  scopes: z.array(z.enum(["read", "operate"])).min(1),
});
export type AdminToken = z.infer<typeof AdminTokenSchema>;
export type AdminScope = AdminToken["scopes"][number];

const adminTokens = z.string().transform((value, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a JSON array of {name, token, scopes}" });
    return z.NEVER;
  }
  const parsed = z.array(AdminTokenSchema).safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
    return z.NEVER;
  }
  return parsed.data;
});

const shopTokens = z
  .string()
  .default("{}")
  .transform((value, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'must be a JSON object {"shop.myshopify.com": "shpat_..."}',
      });
      return z.NEVER;
    }
    const parsed = z.record(ShopDomainSchema, z.string().min(1)).safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
      return z.NEVER;
    }
    return parsed.data;
  });

/** How much of a personal-data field a connector may receive. */
export const PiiTreatmentSchema = z.enum(["full", "masked", "hashed", "none"]);
export type PiiTreatment = z.infer<typeof PiiTreatmentSchema>;

/** Per connector, the treatment of each personal-data field of the canonical order. */
export const PiiPolicySchema = z.object({
  email: PiiTreatmentSchema,
  phone: PiiTreatmentSchema,
  name: PiiTreatmentSchema,
  address: PiiTreatmentSchema,
  note: PiiTreatmentSchema,
  ip: PiiTreatmentSchema,
});
export type PiiPolicy = z.infer<typeof PiiPolicySchema>;

const piiPolicy = (fallback: PiiPolicy) =>
  z
    .string()
    .default(JSON.stringify(fallback))
    .transform((value, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: "must be a JSON object of field → full|masked|hashed|none",
        });
        return z.NEVER;
      }
      const parsed = PiiPolicySchema.partial().safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
        return z.NEVER;
      }
      return { ...fallback, ...parsed.data };
    });

// An ERP invoices and ships, so by default it gets names and addresses but never the
// browser IP; an OMS gets what fulfilment needs.
const ERP_PII_DEFAULT: PiiPolicy = {
  email: "full",
  phone: "full",
  name: "full",
  address: "full",
  note: "none",
  ip: "none",
};
const OMS_PII_DEFAULT: PiiPolicy = {
  email: "masked",
  phone: "full",
  name: "full",
  address: "full",
  note: "full",
  ip: "none",
};

const optionalSecret = z
  .string()
  .optional()
  .transform((value) => value || undefined);

/**
 * Every var and secret the hub reads. Parsed once per isolate by {@link loadSettings};
 * nothing else reads `env` strings directly. README "Settings" documents each field.
 */
export const SettingsSchema = z.object({
  HUB_ENV: z.enum(["local", "staging", "production"]),
  SHOPS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((shop) => shop.trim())
        .filter(Boolean),
    )
    .pipe(z.array(ShopDomainSchema).min(1, "list at least one shop domain")),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret is required"),
  SHOPIFY_API_SECRET_PREVIOUS: optionalSecret,
  SHOPIFY_API_VERSION: z.string().regex(/^\d{4}-\d{2}$/, "must look like 2026-10"),
  SHOPIFY_ADMIN_URL: z.string().includes("{shop}", { message: "must contain {shop}" }),
  ERP_URL: optionalUrl,
  OMS_URL: optionalUrl,
  PIM_URL: optionalUrl,
  DAM_URL: optionalUrl,
  CDP_URL: optionalUrl,
  ALERT_WEBHOOK_URL: optionalUrl,
  ADMIN_TOKENS: adminTokens,
  SHOPIFY_ADMIN_TOKENS: shopTokens,
  ERP_SIGNING_SECRET: optionalSecret,
  OMS_SIGNING_SECRET: optionalSecret,
  CDP_SIGNING_SECRET: optionalSecret,
  ORDER_ARCHITECTURE: z
    .enum(["storefront-centric", "oms-led", "composable"])
    .default("storefront-centric"),
  PII_POLICY_ERP: piiPolicy(ERP_PII_DEFAULT),
  PII_POLICY_OMS: piiPolicy(OMS_PII_DEFAULT),
  CONNECTOR_TIMEOUT_MS: positiveInt(10_000),
  BREAKER_WINDOW_SECONDS: positiveInt(60),
  BREAKER_MIN_CALLS: positiveInt(5),
  BREAKER_FAILURE_RATE_PERCENT: positiveInt(50).pipe(z.number().max(100)),
  BREAKER_OPEN_SECONDS: positiveInt(30),
  BREAKER_HALF_OPEN_PROBES: positiveInt(1),
  WEBHOOK_MAX_BODY_BYTES: positiveInt(10 * 1024 * 1024),
  QUEUE_MAX_ATTEMPTS: positiveInt(8),
  RETRY_BASE_SECONDS: positiveInt(2),
  // Cloudflare Queues accept delays up to 12 hours.
  RETRY_MAX_SECONDS: positiveInt(3600).pipe(z.number().max(43_200)),
  RECEIPT_RETENTION_DAYS: positiveInt(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Thrown when the Worker's vars or secrets do not parse; names every bad setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly problems: string[]) {
    super(`Invalid hub configuration: ${problems.join("; ")}`);
  }
}

const cache = new WeakMap<object, Settings>();

/**
 * Parses the Worker's vars and secrets, once per `env` object (so once per isolate).
 * @throws {ConfigError} listing every missing or invalid setting by name, never its value.
 */
export function loadSettings(env: Cloudflare.Env): Settings {
  const cached = cache.get(env);
  if (cached) return cached;

  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new ConfigError(problems);
  }

  cache.set(env, parsed.data);
  return parsed.data;
}
