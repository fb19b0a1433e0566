import type { Settings } from "../config/settings";

export type LogLevel = Settings["LOG_LEVEL"];
/** Context fields a log line may carry. Payloads and PII never belong here. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names that would carry personal data if a caller passed them by mistake.
const SENSITIVE_WORDS = new Set([
  "email",
  "phone",
  "name",
  "address",
  "note",
  "ip",
  "token",
  "secret",
  "password",
  "body",
  "payload",
]);

/**
 * True when any word of a camelCase or snake_case field name (singular) is sensitive:
 * `customerEmail`, `browser_ip` and `payloads` are; `skipped` and `receiptsDeleted` are not.
 */
function isSensitiveField(key: string): boolean {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => SENSITIVE_WORDS.has(word) || SENSITIVE_WORDS.has(word.replace(/s$/, "")));
}
const ALLOWED_FIELDS = new Set(["topic", "shop", "queue", "domain", "errorName", "errorMessage"]);

/**
 * The hub's one structured logger: JSON lines on stdout (Workers Logs in production).
 * Fields whose names look like personal data or secrets are replaced by "[redacted]".
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields`. */
  with(fields: LogFields): Logger;
}

export function createLogger(level: LogLevel, context: LogFields = {}): Logger {
  const threshold = LEVEL_ORDER[level];

  const write = (lineLevel: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LEVEL_ORDER[lineLevel] < threshold) return;
    const line = {
      level: lineLevel,
      msg,
      time: new Date().toISOString(),
      ...scrub(context),
      ...scrub(fields),
    };
    console.log(JSON.stringify(line));
  };

  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    with: (fields) => createLogger(level, { ...context, ...fields }),
  };
}

function scrub(fields: LogFields): LogFields {
  const clean: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    clean[key] = !ALLOWED_FIELDS.has(key) && isSensitiveField(key) ? "[redacted]" : value;
  }
  return clean;
}

/** Describes an unknown thrown value for a log line without dumping request data. */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: typeof error };
}
