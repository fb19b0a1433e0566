import { Hono } from "hono";
import { vi } from "vitest";
import { z } from "zod";
import { createShopifyStandIn } from "../../../sandbox/shopify/app";
import type { PriceListSeed } from "../../../sandbox/shopify/price-lists";

const CallsSchema = z.object({
  calls: z.array(
    z.object({
      shop: z.string(),
      operationName: z.string(),
      variables: z.record(z.string(), z.unknown()),
    }),
  ),
});

const MoneySchema = z.object({ amount: z.string(), currencyCode: z.string() });
const SnapshotSchema = z.object({
  priceLists: z.array(
    z.object({
      id: z.string(),
      currency: z.string(),
      variants: z.array(
        z.object({
          id: z.string(),
          sku: z.string().nullable(),
          price: MoneySchema.nullable(),
          breaks: z.array(z.object({ minimumQuantity: z.number(), price: MoneySchema })),
          rule: z
            .object({ minimum: z.number(), maximum: z.number().nullable(), increment: z.number() })
            .nullable(),
        }),
      ),
    }),
  ),
});
export type PriceListSnapshot = z.infer<typeof SnapshotSchema>["priceLists"][number];

/** The Shopify stand-in answering this isolate's Admin API fetches, with its price lists. */
export function installPriceListStandIn() {
  const host = new Hono().route("/shopify", createShopifyStandIn());
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith("http://sandbox.test/shopify/")) return realFetch(input, init);
    return Promise.resolve(host.fetch(request));
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
    seed: async (seed: PriceListSeed) => void (await control("price-lists/seed", seed)),
    faults: async (faults: { throttle?: number; serverError?: number }) =>
      void (await control("faults", faults)),
    /** The operations the hub sent, with their variables. */
    calls: async () => CallsSchema.parse(await control("calls")).calls,
    priceList: async (shop: string, id: string) =>
      SnapshotSchema.parse(await control(`price-lists/${shop}`)).priceLists.find(
        (list) => list.id === id,
      ),
    restore: () => spy.mockRestore(),
  };
}
