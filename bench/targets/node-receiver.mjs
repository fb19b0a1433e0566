import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { BENCH_API_SECRET } from "../lib/bench-identity.mjs";

const SERVER_SCRIPT = fileURLToPath(new URL("./node-receiver.server.mjs", import.meta.url));
const START_TIMEOUT_MS = 15_000;

/**
 * A Node.js webhook receiver built on `@shopify/shopify-api`, the usual way a Shopify app
 * takes webhooks. It runs in a child process: sharing this process's event loop with the
 * load generator would slow it down and flatter the hub.
 */
export function nodeReceiverTarget() {
  return {
    id: "node",
    label: "Node + shopify-api",
    async start() {
      const child = fork(SERVER_SCRIPT, [], {
        env: { ...process.env, BENCH_API_SECRET },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });

      const [message] = await Promise.race([
        once(child, "message"),
        once(child, "exit").then(([code]) => {
          throw new Error(`the Node receiver exited with ${code} before listening`);
        }),
        timeout(START_TIMEOUT_MS, "the Node receiver did not start listening"),
      ]).catch((error) => {
        child.kill();
        throw error;
      });

      return {
        url: `http://127.0.0.1:${message.port}`,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = once(child, "exit");
          child.kill("SIGTERM");
          await exited;
        },
      };
    },
  };
}

function timeout(ms, reason) {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`${reason} within ${ms} ms`)), ms).unref();
  });
}
