import type { Hono } from "hono";
import { z } from "zod";
import { createSandbox } from "./app";
import { problemResponse, SandboxProblem } from "./connectors/problem";

/** What sandbox/wrangler.toml gives the sandbox Worker. */
const SandboxEnvSchema = z.object({
  ERP_SIGNING_SECRET: z.string().startsWith("whsec_", "must be a whsec_<base64> secret"),
  OMS_SIGNING_SECRET: z.string().startsWith("whsec_", "must be a whsec_<base64> secret"),
  /** The hub's client secret, so the OAuth stand-in signs its redirects as Shopify would. */
  SHOPIFY_API_SECRET: z.string().min(1),
});

// One sandbox per isolate: its memory is the simulated systems' storage, and `wrangler dev`
// serves every request from the same isolate.
let sandbox: Hono | undefined;

function sandboxFor(env: unknown): Hono {
  if (sandbox) return sandbox;

  const parsed = SandboxEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SandboxProblem(
      500,
      "misconfigured",
      "The sandbox is misconfigured",
      z.prettifyError(parsed.error),
    );
  }
  sandbox = createSandbox(
    { erpSecret: parsed.data.ERP_SIGNING_SECRET, omsSecret: parsed.data.OMS_SIGNING_SECRET },
    { apiSecret: parsed.data.SHOPIFY_API_SECRET },
  );
  return sandbox;
}

/** The sandbox Worker (`wrangler dev -c sandbox/wrangler.toml`); never part of the hub. */
export default {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      return sandboxFor(env).fetch(request, env, ctx);
    } catch (error) {
      if (error instanceof SandboxProblem) return problemResponse(error);
      throw error;
    }
  },
} satisfies ExportedHandler;
