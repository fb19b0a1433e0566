import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { vi } from "vitest";
import { z } from "zod";
import type { Seed } from "../../../sandbox/shopify/app";
import { createShopifyStandIn } from "../../../sandbox/shopify/app";
import { loadSettings } from "../../../src/config/settings";
import { createLogger } from "../../../src/observability/logger";
import type { AdminContext } from "../../../src/shopify/admin/run-operation";
import { envWith } from "../../support/env";

/** Where vitest.config.ts points SHOPIFY_ADMIN_URL: `${STAND_IN_BASE}/{shop}`. */
export const STAND_IN_BASE = "http://sandbox.test/shopify";

const CallsSchema = z.object({
  calls: z.array(
    z.object({
      shop: z.string(),
      operationName: z.string(),
      variables: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type RecordedCall = z.infer<typeof CallsSchema>["calls"][number];

const OrdersSchema = z.object({
  orders: z.array(
    z.object({
      id: z.string(),
      updatedAt: z.string(),
      tags: z.array(z.string()),
      metafields: z.record(
        z.string(),
        z.object({ id: z.string(), namespace: z.string(), key: z.string(), value: z.string() }),
      ),
    }),
  ),
});
export type StandInOrder = z.infer<typeof OrdersSchema>["orders"][number];

/** The stand-in answering this isolate's `fetch` to {@link STAND_IN_BASE}, and its levers. */
export interface StandInHandle {
  /** Every request the hub sent there, as the fetch spy saw it. */
  requests: Request[];
  seed(seed: Seed): Promise<void>;
  faults(faults: { throttle?: number; serverError?: number }): Promise<void>;
  calls(): Promise<RecordedCall[]>;
  orders(shop: string): Promise<StandInOrder[]>;
  /** Answers the next sandbox requests with `answer` instead of the stand-in. */
  answerWith(answer: (request: Request) => Promise<Response>): void;
  restore(): void;
}

/**
 * Routes `fetch` calls under {@link STAND_IN_BASE} to a fresh in-memory stand-in. Pass the
 * hub's SHOPIFY_API_SECRET as `apiSecret` to have it play the OAuth install too.
 */
export function installStandIn(
  options: Parameters<typeof createShopifyStandIn>[0] = {},
): StandInHandle {
  const host = new Hono().route("/shopify", createShopifyStandIn(options));
  const realFetch = globalThis.fetch;
  const requests: Request[] = [];
  let override: ((request: Request) => Promise<Response>) | undefined;

  const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${STAND_IN_BASE}/`)) return realFetch(input, init);
    requests.push(request.clone());
    return override ? override(request) : Promise.resolve(host.fetch(request));
  });

  const control = async (path: string, body?: unknown) => {
    const response = await host.request(`/shopify/_control/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`stand-in control ${path}: ${await response.text()}`);
    return response.json();
  };

  return {
    requests,
    seed: async (seed) => void (await control("seed", seed)),
    faults: async (faults) => void (await control("faults", faults)),
    calls: async () => CallsSchema.parse(await control("calls")).calls,
    orders: async (shop) => OrdersSchema.parse(await control(`orders/${shop}`)).orders,
    answerWith: (answer) => {
      override = answer;
    },
    restore: () => spy.mockRestore(),
  };
}

let shopCounter = 0;

/**
 * A shop of its own with an Admin token, so each test gets a fresh ShopApiBudget (Durable
 * Object storage is shared by the whole test file), and the context the hub's callers pass.
 */
export function freshShop(overrides: Partial<Cloudflare.Env> = {}): {
  shop: string;
  ctx: AdminContext;
} {
  shopCounter += 1;
  const shop = `admin-${shopCounter}-${crypto.randomUUID().slice(0, 8)}.myshopify.com`;
  const testEnv = envWith({
    SHOPIFY_ADMIN_TOKENS: JSON.stringify({ [shop]: `shpat_${shopCounter}_token` }),
    ...overrides,
  });
  return {
    shop,
    ctx: { env: testEnv, settings: loadSettings(testEnv), logger: createLogger("error") },
  };
}

/** The context for the shops vitest.config.ts configures (test-shop, other-shop). */
export function configuredContext(): AdminContext {
  return { env, settings: loadSettings(env), logger: createLogger("error") };
}
