import { Hono } from "hono";
import { z } from "zod";
import {
  type DeadLetter,
  getDeadLetter,
  listDeadLetters,
  markReplayed,
} from "../../db/dead-letters";
import { domainQueue } from "../../queues/enqueue";
import { type Envelope, EnvelopeSchema } from "../../queues/envelope";
import { DOMAINS } from "../../shopify/topics";
import { ProblemError } from "../problem";
import { parseInput, readJson } from "../validation";
import { type AdminEnv, requireScope } from "./auth";
import { assertRecordShop, assertShopAllowed } from "./tenancy";

/** Cloudflare Queues' `sendBatch` takes at most 100 messages. */
const MAX_SEND_BATCH = 100;
const MAX_FILTERED_REPLAY = 500;

const FilterSchema = z.object({
  shop: z.string().optional(),
  domain: z.enum(DOMAINS).optional(),
  topic: z.string().optional(),
  errorClass: z.string().optional(),
  status: z.enum(["open", "replayed", "discarded"]).optional(),
});

const ListQuerySchema = FilterSchema.extend({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ReplayFilterSchema = FilterSchema.extend({
  status: z.enum(["open", "replayed"]).default("open"),
  limit: z.number().int().min(1).max(MAX_FILTERED_REPLAY).default(100),
});

/** `/admin/dead-letters`: list, inspect and replay parked messages. */
export const deadLetterRoutes = new Hono<AdminEnv>();

deadLetterRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(ListQuerySchema, c.req.query(), "query");
  const rows = await listDeadLetters(c.var.db, query);
  const last = rows.at(-1);
  return c.json({
    items: rows.map(summarise),
    nextBefore: rows.length === query.limit && last ? last.createdAt : null,
  });
});

deadLetterRoutes.get("/:id", requireScope("read"), async (c) => {
  const row = await requireDeadLetter(c.var.db, c.req.param("id"));
  assertRecordShop(c.var.admin, row.shop);
  return c.json({ ...summarise(row), envelope: JSON.parse(row.envelope) as unknown });
});

deadLetterRoutes.post("/:id/replay", requireScope("operate"), async (c) => {
  const row = await requireDeadLetter(c.var.db, c.req.param("id"));
  assertRecordShop(c.var.admin, row.shop);
  if (row.status === "discarded") {
    throw new ProblemError(
      409,
      "not_replayable",
      "Dead letter cannot be replayed",
      "Its payload was redacted.",
    );
  }

  await replay(c.env, [row]);
  await markReplayed(c.var.db, [row.id]);
  c.var.logger.info("dead letter replayed", { deadLetterId: row.id });
  return c.json({ replayed: [row.id] }, 202);
});

deadLetterRoutes.post("/replay", requireScope("operate"), async (c) => {
  const filter = parseInput(ReplayFilterSchema, await readJson(c.req.raw), "body");
  assertShopAllowed(c.var.admin, filter.shop);
  const rows = await listDeadLetters(c.var.db, filter);

  const ids = await replay(c.env, rows);
  await markReplayed(c.var.db, ids);
  c.var.logger.info("dead letters replayed", { count: ids.length });
  return c.json({ replayed: ids, skipped: rows.length - ids.length }, 202);
});

/** Puts each parked envelope back on its domain queue; returns the ids sent. */
async function replay(env: Cloudflare.Env, rows: DeadLetter[]): Promise<string[]> {
  const byDomain = new Map<Envelope["domain"], { id: string; envelope: Envelope }[]>();
  for (const row of rows) {
    const parsed = EnvelopeSchema.safeParse(JSON.parse(row.envelope));
    if (!parsed.success) {
      if (rows.length === 1) {
        throw new ProblemError(
          422,
          "invalid_envelope",
          "Dead letter holds no valid envelope",
          "It can be inspected but not replayed.",
        );
      }
      continue;
    }
    const envelope = { ...parsed.data, replayOf: row.id };
    const list = byDomain.get(envelope.domain) ?? [];
    list.push({ id: row.id, envelope });
    byDomain.set(envelope.domain, list);
  }

  const sent: string[] = [];
  for (const [domain, items] of byDomain) {
    for (let start = 0; start < items.length; start += MAX_SEND_BATCH) {
      const chunk = items.slice(start, start + MAX_SEND_BATCH);
      await domainQueue(env, domain).sendBatch(
        chunk.map((item) => ({ body: item.envelope, contentType: "json" as const })),
      );
      sent.push(...chunk.map((item) => item.id));
    }
  }
  return sent;
}

async function requireDeadLetter(db: AdminEnv["Variables"]["db"], id: string): Promise<DeadLetter> {
  const row = await getDeadLetter(db, id);
  if (!row)
    throw new ProblemError(404, "not_found", "No such dead letter", `No dead letter has id ${id}.`);
  return row;
}

function summarise(row: DeadLetter) {
  return {
    id: row.id,
    shop: row.shop,
    domain: row.domain,
    topic: row.topic,
    webhookId: row.webhookId,
    orderId: row.orderId,
    errorClass: row.errorClass,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    status: row.status,
    replayCount: row.replayCount,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
