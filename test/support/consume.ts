import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

export interface ConsumedMessage {
  id: string;
  attempts: number;
  body: unknown;
}

/**
 * Runs the Worker's `queue()` on a hand-built batch, as the platform would, and reports
 * what happened to each message. `getQueueResult` does not report per-message retry
 * delays, so they are recorded on the way out.
 */
export async function consume(queue: string, messages: ConsumedMessage[], testEnv = env) {
  const batch = createMessageBatch(
    queue,
    messages.map((message) => ({ ...message, timestamp: Date.now() })),
  );
  const retryDelays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      retryDelays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv);
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}
