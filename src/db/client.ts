import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = ReturnType<typeof openDatabase>;

/** A drizzle handle on the hub's D1 ledgers. Cheap: create one per request or batch. */
export function openDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}
