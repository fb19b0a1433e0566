import { and, eq } from "drizzle-orm";
import { SECRET_SETTINGS } from "../config/secret-settings";
import { SettingsSchema } from "../config/settings";
import { sha256Hex } from "../crypto/digest";
import type { Database } from "../db/client";
import { configSnapshot } from "../db/schema";
import { appendAudit } from "./append";
import { canonicalJson } from "./canonical-json";

const SNAPSHOT_ID = "deployed";
const SECRET_DIGEST_PREFIX = "sha256:";
const UNSET = "(unset)";

export type ConfigAuditOutcome = "baseline" | "changed" | "unchanged" | "raced";

/**
 * Compares the settings this Worker runs with (`env`, as deployed) with the last ones
 * recorded in D1, and audits the difference as `config.changed` by actor `deploy`:
 * plain settings with their old and new values, secrets as `set`, `changed` or `removed`.
 * The first run records a baseline (`config.baseline`, secrets as `set` or `(unset)`).
 *
 * Of two concurrent runs only the one whose compare-and-swap of the snapshot succeeds
 * writes the entry. If appending the entry then fails, the snapshot is put back so the
 * next run records the change again; only a crash between the two steps loses the entry.
 * Values are the raw strings Wrangler hands the Worker, before parsing, so a reformatted
 * JSON setting counts as a change.
 */
export async function auditConfigChanges(
  db: Database,
  env: Cloudflare.Env,
  now = Date.now(),
): Promise<ConfigAuditOutcome> {
  const current = await describeSettings(env);
  const fingerprint = await sha256Hex(canonicalJson(current));

  const [stored] = await db.select().from(configSnapshot).where(eq(configSnapshot.id, SNAPSHOT_ID));
  if (stored?.fingerprint === fingerprint) return "unchanged";

  const row = { fingerprint, settings: JSON.stringify(current), recordedAt: now };
  const swapped = stored
    ? await db
        .update(configSnapshot)
        .set(row)
        .where(
          and(
            eq(configSnapshot.id, SNAPSHOT_ID),
            eq(configSnapshot.fingerprint, stored.fingerprint),
          ),
        )
        .returning({ id: configSnapshot.id })
    : await db
        .insert(configSnapshot)
        .values({ id: SNAPSHOT_ID, ...row })
        .onConflictDoNothing()
        .returning({ id: configSnapshot.id });
  if (swapped.length === 0) return "raced";

  const previous = stored ? (JSON.parse(stored.settings) as Record<string, string>) : undefined;
  try {
    await appendAudit(
      db,
      [
        previous
          ? {
              actor: "deploy",
              action: "config.changed",
              subject: "hub:config",
              ...describeChange(previous, current),
            }
          : {
              actor: "deploy",
              action: "config.baseline",
              subject: "hub:config",
              before: null,
              after: redact(current),
            },
      ],
      now,
    );
  } catch (error) {
    await restoreSnapshot(db, stored, fingerprint);
    throw error;
  }
  return previous ? "changed" : "baseline";
}

/** Every setting's raw value, secrets replaced by a digest; absent ones as `(unset)`. */
async function describeSettings(env: Cloudflare.Env): Promise<Record<string, string>> {
  const raw = env as unknown as Record<string, unknown>;
  const entries = await Promise.all(
    Object.keys(SettingsSchema.shape).map(async (name): Promise<[string, string]> => {
      const value = raw[name];
      if (typeof value !== "string" || value === "") return [name, UNSET];
      if (!SECRET_SETTINGS.has(name)) return [name, value];
      return [name, SECRET_DIGEST_PREFIX + (await sha256Hex(`${name}\n${value}`))];
    }),
  );
  return Object.fromEntries(entries);
}

/** The settings that differ, as they were and as they are, with no secret digest in them. */
function describeChange(previous: Record<string, string>, current: Record<string, string>) {
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  for (const name of new Set([...Object.keys(previous), ...Object.keys(current)])) {
    const was = previous[name] ?? UNSET;
    const is = current[name] ?? UNSET;
    if (was === is) continue;
    if (SECRET_SETTINGS.has(name)) {
      before[name] = was === UNSET ? UNSET : "set";
      after[name] = is === UNSET ? "removed" : was === UNSET ? "set" : "changed";
    } else {
      before[name] = was;
      after[name] = is;
    }
  }
  return { before, after };
}

function redact(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [
      name,
      SECRET_SETTINGS.has(name) && value !== UNSET ? "set" : value,
    ]),
  );
}

async function restoreSnapshot(
  db: Database,
  stored: typeof configSnapshot.$inferSelect | undefined,
  fingerprint: string,
): Promise<void> {
  const ours = and(eq(configSnapshot.id, SNAPSHOT_ID), eq(configSnapshot.fingerprint, fingerprint));
  if (stored) await db.update(configSnapshot).set(stored).where(ours);
  else await db.delete(configSnapshot).where(ours);
}
