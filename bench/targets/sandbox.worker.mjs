// The sandbox Worker as the order-export bench runs it (bundled by sandbox.mjs): the same
// ERP, OMS and control API as sandbox/index.ts, with the Shopify stand-in limited like a
// Shopify Plus shop instead of a Standard one. B2B selling needs Shopify Plus, and at the
// stand-in's Standard default (100 points/s) the write-backs alone — two 20-point
// mutations per order — would cap the run at 2.5 orders/s.
import { Hono } from "hono";
import { createSandbox } from "../../sandbox/app";
import { createShopifyStandIn } from "../../sandbox/shopify/app";

// Shopify publishes 1,000 points/s for Plus; the bucket keeps the stand-in's Standard
// ratio (20 seconds of restore), an assumption, since Shopify no longer publishes it.
const PLUS_RESTORE_RATE = 1000;
const PLUS_MAXIMUM_AVAILABLE = 20 * PLUS_RESTORE_RATE;

// One sandbox per isolate: its memory is the simulated systems' storage.
let sandbox;

export default {
  fetch(request, env, ctx) {
    sandbox ??= composeSandbox(env);
    return sandbox.fetch(request, env, ctx);
  },
};

function composeSandbox(env) {
  const app = new Hono();
  // Registered first, so it answers /shopify/* before the sandbox's own stand-in would.
  app.route(
    "/shopify",
    createShopifyStandIn({
      restoreRate: PLUS_RESTORE_RATE,
      maximumAvailable: PLUS_MAXIMUM_AVAILABLE,
    }),
  );
  app.route(
    "/",
    createSandbox({ erpSecret: env.ERP_SIGNING_SECRET, omsSecret: env.OMS_SIGNING_SECRET }),
  );
  return app;
}
