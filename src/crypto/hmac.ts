const encoder = new TextEncoder();

// Importing a key is async work the platform repeats for each call; secrets are few and
// long-lived (current and previous during a rotation), so one import each is kept.
const keyCache = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA256 signing and verifying key for `secret`, imported once per isolate. */
export function hmacSha256Key(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keyCache.set(secret, key);
  }
  return key;
}

/** The raw HMAC-SHA256 of `message` (a string is signed as its UTF-8 bytes) under `secret`. */
export async function hmacSha256(
  secret: string,
  message: string | BufferSource,
): Promise<Uint8Array> {
  const bytes = typeof message === "string" ? encoder.encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacSha256Key(secret), bytes));
}

/**
 * Whether `signature` is the HMAC-SHA256 of `message` under any of `secrets` (current, then
 * previous during a rotation). `crypto.subtle.verify` compares in constant time.
 */
export async function verifyHmacSha256(
  secrets: readonly string[],
  signature: BufferSource,
  message: BufferSource,
): Promise<boolean> {
  for (const secret of secrets) {
    if (await crypto.subtle.verify("HMAC", await hmacSha256Key(secret), signature, message)) {
      return true;
    }
  }
  return false;
}
