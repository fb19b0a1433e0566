// `npm run webhook -- <topic> <payload> [options]`: sends one webhook to a running hub,
// signed and labelled exactly as Shopify would send it. See USAGE below.
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLES_DIR = join(ROOT, "samples", "webhooks");
const DEFAULT_URL = "http://127.0.0.1:8787";
// The sandbox `npm run dev` starts beside the hub (docs/sandbox.md).
const DEFAULT_SANDBOX_URL = "http://127.0.0.1:8790";
// The Admin API version the hub pins (wrangler.toml SHOPIFY_API_VERSION).
const API_VERSION = "2026-10";

const USAGE = `Usage: npm run webhook -- <topic> <payload> [options]

  <topic>     a Shopify webhook topic, e.g. orders/create
  <payload>   a JSON file path, or the name of a sample in samples/webhooks/, with or
              without .json and the topic prefix: orders-create-b2b, or just b2b

Options:
  --shop <domain>        X-Shopify-Shop-Domain (default: first of SHOPS in wrangler.toml [vars])
  --url <base url>       the hub's base URL (default: ${DEFAULT_URL})
  --secret <secret>      signing secret (default: SHOPIFY_API_SECRET from .dev.vars,
                         or from .dev.vars.example when .dev.vars does not exist)
  --webhook-id <id>      X-Shopify-Webhook-Id, to replay a delivery (default: a fresh UUID)
  --event-id <id>        X-Shopify-Event-Id (default: a fresh UUID)
  --sandbox <base url>   the sandbox whose Shopify stand-in learns about an order before
                         its orders/* webhook is sent, as in Shopify the order exists
                         first (default: ${DEFAULT_SANDBOX_URL}; "none" to skip)
  -h, --help             show this help

Examples:
  npm run webhook -- orders/create b2b
  npm run webhook -- customers/redact customers-redact --webhook-id replay-1`;

const OPTIONS = {
  shop: { type: "string" },
  url: { type: "string" },
  secret: { type: "string" },
  "webhook-id": { type: "string" },
  "event-id": { type: "string" },
  sandbox: { type: "string" },
  help: { type: "boolean", short: "h" },
};

await main();

async function main() {
  const { topic, payloadArg, options } = parseCommandLine(process.argv.slice(2));

  const payloadPath = resolvePayload(payloadArg, topic);
  const body = readFileSync(payloadPath);
  warnIfNotJson(body, payloadPath);
  warnIfSampleTopicDiffers(payloadPath, topic);

  const { secret, source: secretSource } = options.secret
    ? { secret: options.secret, source: "--secret" }
    : readLocalSecret();
  const shop = options.shop ?? defaultShop();
  const url = webhookUrl(options.url ?? DEFAULT_URL);

  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": topic,
    // Shopify signs the raw body bytes; so do we, and send those very bytes.
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": options["webhook-id"] ?? randomUUID(),
    "X-Shopify-Event-Id": options["event-id"] ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };

  const sandbox = options.sandbox ?? DEFAULT_SANDBOX_URL;
  if (topic.startsWith("orders/") && sandbox !== "none") await seedStandIn(sandbox, shop, body);

  console.log(`POST ${url}`);
  console.log(
    `  topic ${topic}, shop ${shop}, ${body.byteLength} bytes from ${relative(payloadPath)}`,
  );
  console.log(`  webhook id ${headers["X-Shopify-Webhook-Id"]}, signed with ${secretSource}`);

  let response;
  try {
    response = await fetch(url, { method: "POST", headers, body });
  } catch (error) {
    const reason = error.cause?.code ?? error.cause?.message ?? error.message;
    fail(`could not reach ${url} (${reason}). Is \`npm run dev\` running?`);
  }

  const text = await response.text();
  console.log(`HTTP ${response.status} ${response.statusText}`);
  if (text) console.log(prettyIfJson(text));
  process.exitCode = response.ok ? 0 : 1;
}

/**
 * Tells the sandbox's Shopify stand-in the order exists, so the hub's write-back of the
 * ERP/OMS reference finds it. A sandbox that is not running only earns a warning.
 */
async function seedStandIn(sandbox, shop, body) {
  let order;
  try {
    order = JSON.parse(body.toString("utf8"));
  } catch {
    return;
  }
  if (order?.id === undefined) return;

  const seed = {
    shop,
    orders: [
      {
        legacyResourceId: String(order.id),
        name: order.name,
        updatedAt: new Date(order.updated_at ?? Date.now()).toISOString(),
      },
    ],
  };
  try {
    const response = await fetch(new URL("/shopify/_control/seed", sandbox), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(seed),
    });
    if (!response.ok) console.warn(`warning: the sandbox refused the seed (${response.status})`);
  } catch {
    console.warn(`warning: no sandbox at ${sandbox}; the write-back to Shopify will fail`);
  }
}

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    usageError(error.message);
  }

  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 2) {
    usageError(`expected <topic> and <payload>, got ${positionals.length} argument(s)`);
  }

  const [topic, payloadArg] = positionals;
  if (!/^[a-z_]+\/[a-z_]+$/.test(topic)) {
    usageError(`"${topic}" does not look like a topic such as orders/create`);
  }
  return { topic, payloadArg, options: values };
}

/** A path that exists wins; otherwise the argument names a sample in samples/webhooks/. */
function resolvePayload(arg, topic) {
  if (existsSync(arg)) return arg;

  const names = [arg, `${arg}.json`, `${topicPrefix(topic)}-${arg}.json`];
  const candidates = names.map((name) => join(SAMPLES_DIR, name));
  const sample = candidates.find((candidate) => existsSync(candidate));
  if (sample) return sample;

  const samples = listSamples().join("\n  ");
  usageError(`"${arg}" is neither a file nor a sample name. Samples:\n  ${samples}`);
}

function listSamples() {
  if (!existsSync(SAMPLES_DIR)) return [];
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

function warnIfNotJson(body, path) {
  try {
    JSON.parse(body.toString("utf8"));
  } catch {
    console.warn(`warning: ${relative(path)} is not valid JSON; sending it as is`);
  }
}

/** Samples are named after their topic: orders-create-b2b.json holds an orders/create. */
function warnIfSampleTopicDiffers(path, topic) {
  if (dirname(path) !== SAMPLES_DIR) return;
  if (!basename(path).startsWith(topicPrefix(topic))) {
    console.warn(`warning: sample ${basename(path)} belongs to another topic than ${topic}`);
  }
}

/** The kebab-case start of a sample's file name: customers/data_request → customers-data-request. */
function topicPrefix(topic) {
  return topic.replace(/[/_]/g, "-");
}

/**
 * `wrangler dev` reads secrets from .dev.vars only; the example file stands in before
 * `npm run dev` has created .dev.vars.
 */
function readLocalSecret() {
  const file = [".dev.vars", ".dev.vars.example"]
    .map((name) => join(ROOT, name))
    .find((path) => existsSync(path));
  if (!file) fail("neither .dev.vars nor .dev.vars.example exists; pass --secret");

  const secret = readDotenvValue(readFileSync(file, "utf8"), "SHOPIFY_API_SECRET");
  if (!secret) fail(`SHOPIFY_API_SECRET is not set in ${relative(file)}; pass --secret`);
  return { secret, source: `SHOPIFY_API_SECRET from ${relative(file)}` };
}

/** Reads one KEY=value from a dotenv file: quoted or bare values, `#` comments. */
function readDotenvValue(text, key) {
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match || match[1] !== key) continue;

    const raw = match[2].trim();
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    return quoted ? quoted[2] : raw.replace(/\s+#.*$/, "");
  }
  return undefined;
}

/**
 * The first shop of SHOPS in wrangler.toml's top-level [vars] table. A line scan, not a
 * TOML parser: it expects `SHOPS = "a.myshopify.com,b.myshopify.com"` on one line.
 */
function defaultShop() {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  let inVars = false;
  for (const line of toml.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) inVars = /^\s*\[vars\]\s*(#.*)?$/.test(line);
    const match = inVars && /^\s*SHOPS\s*=\s*["']([^"']*)["']/.exec(line);
    if (match) {
      const first = match[1].split(",")[0]?.trim();
      if (first) return first;
    }
  }
  fail("found no SHOPS in wrangler.toml [vars]; pass --shop");
}

function webhookUrl(base) {
  try {
    return new URL("/webhooks/shopify", base).toString();
  } catch {
    usageError(`--url "${base}" is not a URL such as ${DEFAULT_URL}`);
  }
}

function prettyIfJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function relative(path) {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}

function usageError(message) {
  console.error(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}
