import { env } from "cloudflare:workers";
import { installSandbox, type SandboxHandle } from "./sandbox";

/**
 * Installs the sandbox (see ./sandbox.ts) and closes both connector circuit breakers, which
 * live in Durable Objects shared by the whole test file, so a test starts with healthy
 * connectors whatever the one before it tripped. Call `restore()` in `afterEach`.
 */
export async function installSandboxAndCloseBreakers(): Promise<SandboxHandle> {
  const sandbox = installSandbox();
  await env.CIRCUIT_BREAKERS.getByName("erp").reset();
  await env.CIRCUIT_BREAKERS.getByName("oms").reset();
  return sandbox;
}
