// The Node.js baseline server, run in its own process by node-receiver.mjs. It receives a
// webhook the way Shopify's app templates do: buffer the raw body, let
// `shopify.webhooks.validate` check the HMAC and headers, parse the JSON, answer.
// It does no dedupe, storage or queueing: the hub does all three before it answers.
import "@shopify/shopify-api/adapters/node";
import { createServer } from "node:http";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";

const shopify = shopifyApi({
  apiKey: "bench-api-key",
  apiSecretKey: requireEnv("BENCH_API_SECRET"),
  hostName: "127.0.0.1",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  // The library logs rejected HMACs at debug; errors only keeps the bench output clean.
  logger: { level: LogSeverity.Error },
});

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const rawBody = Buffer.concat(chunks).toString("utf8");

  const check = await shopify.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
  if (!check.valid) {
    res.writeHead(401).end();
    return;
  }

  try {
    JSON.parse(rawBody);
  } catch {
    res.writeHead(400).end();
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" }).end("ok");
});

server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: server.address().port });
});

// The parent stops this process with SIGTERM once its load is measured; keep-alive
// connections would otherwise hold the server open.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
