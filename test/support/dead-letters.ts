import type { Database } from "../../src/db/client";
import { recordDeadLetter } from "../../src/db/dead-letters";
import type { Envelope } from "../../src/queues/envelope";
import { buildEnvelope } from "./envelopes";

/** What a parked test letter may change; the rest is a permanent compliance failure. */
export interface ParkOptions {
  envelope?: Partial<Envelope>;
  errorClass?: string;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Parks a compliance envelope (./envelopes.ts `buildEnvelope`) in the dead-letter table as
 * the consumer would after a permanent failure. Returns the letter's id and its envelope.
 */
export async function parkComplianceLetter(
  db: Database,
  options: ParkOptions = {},
): Promise<{ id: string; envelope: Envelope }> {
  const envelope = buildEnvelope(options.envelope);
  const id = await recordDeadLetter(db, {
    shop: envelope.shop,
    domain: "compliance",
    topic: envelope.topic,
    webhookId: envelope.webhookId,
    subjects: envelope.subjects,
    envelope,
    errorClass: options.errorClass ?? "permanent",
    errorCode: options.errorCode ?? "http_400",
    errorMessage: options.errorMessage ?? "rejected",
    attempts: 1,
  });
  return { id, envelope };
}
