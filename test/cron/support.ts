import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { runScheduled } from "../../src/cron/dispatch";
import { type RecordingQueue, recordingQueue } from "../support/env";

/** The test env with the orders and inventory queues recording what they are sent. */
export function recordingEnv(): {
  env: Cloudflare.Env;
  orders: RecordingQueue;
  inventory: RecordingQueue;
} {
  const orders = recordingQueue(env.ORDERS_QUEUE);
  const inventory = recordingQueue(env.INVENTORY_QUEUE);
  return { env: { ...env, ORDERS_QUEUE: orders, INVENTORY_QUEUE: inventory }, orders, inventory };
}

/** Fires one cron trigger as Workers would; resolves with the error if the run failed. */
export async function fireCron(cron: string, testEnv: Cloudflare.Env): Promise<unknown> {
  const controller = createScheduledController({ cron, scheduledTime: Date.now() });
  return runScheduled(controller, testEnv).then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Seeds the Shopify stand-in through its control API (test/support/sandbox.ts routes it). */
export async function seedStandIn(seed: unknown): Promise<void> {
  const response = await fetch("http://sandbox.test/shopify/_control/seed", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(seed),
  });
  if (!response.ok) throw new Error(`seeding the stand-in failed: ${await response.text()}`);
}

export async function standInFaults(faults: { throttle?: number; serverError?: number }) {
  const response = await fetch("http://sandbox.test/shopify/_control/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`stand-in faults failed: ${await response.text()}`);
}
