import { and, desc, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { ShopDomainSchema } from "../../config/settings";
import { readHead } from "../../db/price-heads";
import { priceBookHeads, priceBookVersions } from "../../db/schema";
import { parseInput } from "../validation";
import { type AdminEnv, requireScope } from "./auth";

const VersionsQuerySchema = z.object({
  shop: ShopDomainSchema.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/**
 * `/admin/api/prices/versions`: a shop's price-book versions, newest first, with which one
 * storefronts read now (`publishedVersion`) — the answer to "is last night's import live?".
 * Without `shop`: the latest and live version of every shop (the console's overview tile).
 */
export const priceVersionRoutes = new Hono<AdminEnv>();

priceVersionRoutes.get("/", requireScope("read"), async (c) => {
  const query = parseInput(VersionsQuerySchema, c.req.query(), "query");
  if (!query.shop) {
    const heads = await c.var.db.select().from(priceBookHeads).orderBy(priceBookHeads.shop);
    return c.json({
      items: heads.map((head) => ({
        shop: head.shop,
        latestVersion: head.version,
        publishedVersion: head.publishedVersion,
        updatedAt: new Date(head.updatedAt).toISOString(),
      })),
    });
  }
  const [head, versions] = await Promise.all([
    readHead(c.var.db, query.shop),
    c.var.db
      .select()
      .from(priceBookVersions)
      .where(
        and(
          eq(priceBookVersions.shop, query.shop),
          query.before ? lt(priceBookVersions.version, query.before) : undefined,
        ),
      )
      .orderBy(desc(priceBookVersions.version))
      .limit(query.limit),
  ]);
  const last = versions.at(-1);

  return c.json({
    shop: query.shop,
    latestVersion: head?.version ?? null,
    publishedVersion: head?.publishedVersion ?? null,
    items: versions.map((version) => ({
      version: version.version,
      kind: version.kind,
      actor: version.actor,
      changes: version.changes,
      createdAt: new Date(version.createdAt).toISOString(),
      live: version.version === head?.publishedVersion,
    })),
    nextBefore: versions.length === query.limit && last ? last.version : null,
  });
});
