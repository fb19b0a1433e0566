import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app";

/**
 * A queue that records what it was asked to send, optionally failing the first
 * `failTimes` sends, and otherwise forwards to the real local queue. Only the network
 * edge of Queues is faked; storage and consumers stay real.
 */
export interface RecordingQueue extends Queue {
  sent: unknown[];
}

export function recordingQueue(
  real: Queue,
  options: { failTimes?: number; forward?: boolean } = {},
): RecordingQueue {
  let failures = options.failTimes ?? 0;
  const sent: unknown[] = [];
  const forward = options.forward ?? false;

  const queue = {
    sent,
    async send(body: unknown, sendOptions?: QueueSendOptions) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("Queue send failed (injected)");
      }
      sent.push(body);
      if (forward) await real.send(body, sendOptions);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>, batchOptions?: QueueSendBatchOptions) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("Queue sendBatch failed (injected)");
      }
      const list = [...messages];
      sent.push(...list.map((message) => message.body));
      if (forward) await real.sendBatch(list, batchOptions);
    },
  };
  return queue as unknown as RecordingQueue;
}

/** The test env with some bindings replaced. A new object, so settings are parsed anew. */
export function envWith(overrides: Partial<Cloudflare.Env>): Cloudflare.Env {
  return { ...env, ...overrides };
}

/** Calls the Hono app directly with a custom env, waiting for background work. */
export async function fetchWith(testEnv: Cloudflare.Env, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(request, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
