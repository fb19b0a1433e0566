import { z } from "zod";
import { AlertChannelsSchema, AlertRulesSchema } from "../alerts/channel-config";
import { OauthScopesSchema } from "../shopify/oauth/scopes";
import { TokenKeysSchema } from "../shopify/oauth/token-cipher";
import { DEFAULT_SLOS, SloConfigSchema } from "../slo/config";

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

/**
 * A setting holding JSON, parsed with `schema`. An absent or empty value means `fallback`,
 * or is an error naming what is expected when there is no fallback (a required setting).
 */
const jsonSetting = <T extends z.ZodType>(schema: T, hint: string, fallback?: z.input<T>) =>
  z
    .string()
    .optional()
    .transform((value, ctx): z.infer<T> => {
      if (!value && fallback === undefined) {
        ctx.addIssue({ code: "custom", message: `is required: ${hint}` });
        return z.NEVER;
      }
      let json: unknown = fallback;
      try {
        if (value) json = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: "custom", message: `must be JSON: ${hint}` });
        return z.NEVER;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
        return z.NEVER;
      }
      return parsed.data;
    });

export const AdminTokenSchema = z.object({
  name: z.string().min(1),
  token: z.string().min(16, "admin tokens must be at least 16 characters"),
  scopes: z.array(z.enum(["read", "operate"])).min(1),
  /**
   * When set, the token sees only these shops: every shop-scoped admin route needs
   * `?shop=` naming one of them, and hub-wide actions are refused (docs/security.md).
   */
  shops: z.array(ShopDomainSchema).min(1).optional(),
});
export type AdminToken = z.infer<typeof AdminTokenSchema>;
export type AdminScope = AdminToken["scopes"][number];

const adminTokens = jsonSetting(z.array(AdminTokenSchema), "a JSON array of {name, token, scopes}");

const shopTokens = jsonSetting(
  z.record(ShopDomainSchema, z.string().min(1)),
  'a JSON object {"shop.myshopify.com": "shpat_..."}',
  {},
);

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
  jsonSetting(
    PiiPolicySchema.partial().transform((policy) => ({ ...fallback, ...policy })),
    "a JSON object of field → full|masked|hashed|none",
    {},
  );

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

/** A key for `POST /v1/prices/resolve`, scoped to the shops whose prices it may read. */
export const PricingApiKeySchema = z.object({
  name: z.string().min(1),
  key: z.string().min(24, "pricing API keys must be at least 24 characters"),
  shops: z.array(ShopDomainSchema).min(1),
});
export type PricingApiKey = z.infer<typeof PricingApiKeySchema>;

const pricingApiKeys = jsonSetting(
  z.array(PricingApiKeySchema),
  "a JSON array of {name, key, shops}",
  [],
);

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
  /** Retention per table, enforced by the nightly purge (src/cron/retention.ts). */
  ORDER_EVENT_RETENTION_DAYS: positiveInt(90),
  DEAD_LETTER_RETENTION_DAYS: positiveInt(30),
  COMPLIANCE_EXPORT_RETENTION_DAYS: positiveInt(30),
  LEDGER_RETENTION_DAYS: positiveInt(400),
  CRON_RUN_RETENTION_DAYS: positiveInt(90),
  /** Per-minute metric rollups in D1 (METRICS_SINK = "d1"); SLO windows need 30 days. */
  METRICS_RETENTION_DAYS: positiveInt(35),
  /** The app's client id; OAuth installs (docs/install.md) are off without it. */
  SHOPIFY_API_KEY: optionalSecret,
  /** The hub's public base URL; OAuth's redirect_uri is `${APP_URL}/auth/callback`. */
  APP_URL: optionalUrl,
  OAUTH_SCOPES: OauthScopesSchema,
  TOKEN_ENCRYPTION_KEYS: TokenKeysSchema,
  TOKEN_ENCRYPTION_ACTIVE_KID: optionalSecret,
  /** How long a SKU's changes gather before one push to Shopify (docs/inventory.md). */
  INVENTORY_PUSH_DEBOUNCE_MS: positiveInt(1000),
  /** How long a reservation of an unpaid order without payment terms holds stock. */
  INVENTORY_RESERVATION_TTL_SECONDS: positiveInt(86_400),
  /** Units of drift the nightly sanity check corrects; above it, it raises a ticket. */
  INVENTORY_DRIFT_TOLERANCE: z.coerce.number().int().min(0).max(1_000_000).default(5),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  PRICING_API_KEYS: pricingApiKeys,
  PRICING_FUNCTION_SECRET: optionalSecret,
  PRICING_FUNCTION_SECRET_PREVIOUS: optionalSecret,
  PRICING_ERP_QUOTES: z.enum(["enabled", "disabled"]).default("disabled"),
  // A cart waits for this call; Shopify gives a Function's fetch at most 2,000 ms in all.
  PRICING_ERP_QUOTE_TIMEOUT_MS: positiveInt(300).pipe(z.number().max(2000)),
  PRICING_QUOTE_CACHE_SECONDS: positiveInt(60),
  APP_PROXY_MAX_AGE_SECONDS: positiveInt(300),
  /** Where `recordMetric` writes: D1 rollups (local, tests) or Analytics Engine (`METRICS`). */
  METRICS_SINK: z.enum(["d1", "analytics-engine"]).default("d1"),
  /** The Analytics Engine dataset behind the `METRICS` binding, for the SQL reader. */
  METRICS_DATASET: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and underscores")
    .default("shopify_edge_hub_metrics"),
  ANALYTICS_ACCOUNT_ID: optionalSecret,
  ANALYTICS_API_TOKEN: optionalSecret,
  /** The Analytics Engine SQL API; `{account_id}` is replaced. Tests point it at a stub. */
  ANALYTICS_SQL_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("https://api.cloudflare.com/client/v4/accounts/{account_id}/analytics_engine/sql"),
  SLO_CONFIG: jsonSetting(SloConfigSchema, "an array of SLO definitions", DEFAULT_SLOS),
  ALERT_CHANNELS: jsonSetting(AlertChannelsSchema, "an array of {name, type, url, ...}", []),
  ALERT_RULES: jsonSetting(AlertRulesSchema, "an object of alert rule thresholds", {}),
  /** HMAC key of the console's session cookie and CSRF tokens; the console login is off without it. */
  CONSOLE_SESSION_SECRET: optionalSecret.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  CONSOLE_SESSION_TTL_SECONDS: positiveInt(8 * 60 * 60).pipe(z.number().max(7 * 24 * 60 * 60)),
  /** Cloudflare Access team domain (`https://<team>.cloudflareaccess.com`); with ACCESS_AUD, turns Access login on. */
  ACCESS_TEAM_DOMAIN: optionalUrl,
  ACCESS_AUD: optionalSecret,
  /** Where the team's signing keys are; defaults to `<ACCESS_TEAM_DOMAIN>/cdn-cgi/access/certs`. */
  ACCESS_CERTS_URL: optionalUrl,
  /** Access identities (emails) that get the operate scope; every other Access user reads. */
  ACCESS_OPERATOR_EMAILS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
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
