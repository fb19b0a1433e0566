import { z } from "zod";
import { PermanentError } from "../../queues/errors";

// AES-256-GCM: a 32-byte key, and the 96-bit IV NIST SP 800-38D recommends for GCM.
const KEY_BYTES = 32;
const IV_BYTES = 12;

function decodeBase64(value: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * TOKEN_ENCRYPTION_KEYS: a JSON object of key id → base64 32-byte AES key. Ids are short
 * labels (`2026-12`, `k2`) stored beside each ciphertext, so old keys keep decrypting
 * during a rotation. Empty means no keys: OAuth installs are then refused.
 */
export const TokenKeysSchema = z
  .string()
  .default("")
  .transform((value, ctx) => {
    if (!value.trim()) return {};
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be a JSON object {"<kid>": "<base64 key>"}' });
      return z.NEVER;
    }
    const parsed = z
      .record(
        z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, "key ids are 1-32 of A-Z a-z 0-9 . _ -"),
        z
          .string()
          .refine(
            (key) => decodeBase64(key)?.length === KEY_BYTES,
            `each key must be ${KEY_BYTES} bytes, base64-encoded`,
          ),
      )
      .safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: z.prettifyError(parsed.error) });
      return z.NEVER;
    }
    return parsed.data;
  });
export type TokenKeys = z.infer<typeof TokenKeysSchema>;

/** The keys and which one encrypts new tokens, as settings hold them. */
export interface TokenKeyring {
  keys: TokenKeys;
  activeKid: string | undefined;
}

/** A token encrypted at rest: what `shop_tokens` stores. */
export interface SealedToken {
  ciphertext: string;
  iv: string;
  keyId: string;
}

const imported = new Map<string, Promise<CryptoKey>>();

function cryptoKey(keyring: TokenKeyring, kid: string): Promise<CryptoKey> {
  const raw = keyring.keys[kid];
  const bytes = raw === undefined ? undefined : decodeBase64(raw);
  if (!raw || !bytes) {
    throw new PermanentError(
      "token_key_missing",
      `Token encryption key "${kid}" is not in TOKEN_ENCRYPTION_KEYS`,
    );
  }
  // Keyed by the key material, so a rotated secret under a reused id is never confused.
  let key = imported.get(raw);
  if (!key) {
    key = crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
    imported.set(raw, key);
  }
  return key;
}

/** The kid new tokens are encrypted with. @throws {PermanentError} `token_key_missing`. */
export function activeKeyId(keyring: TokenKeyring): string {
  const kid = keyring.activeKid;
  if (!kid || keyring.keys[kid] === undefined) {
    throw new PermanentError(
      "token_key_missing",
      "TOKEN_ENCRYPTION_ACTIVE_KID must name a key in TOKEN_ENCRYPTION_KEYS",
    );
  }
  return kid;
}

/**
 * Encrypts `token` for `shop` under the active key. The shop is bound in as additional
 * data, so a ciphertext copied onto another shop's row does not decrypt.
 */
export async function sealToken(
  keyring: TokenKeyring,
  shop: string,
  token: string,
): Promise<SealedToken> {
  const keyId = activeKeyId(keyring);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(shop) },
    await cryptoKey(keyring, keyId),
    new TextEncoder().encode(token),
  );
  return { ciphertext: encodeBase64(new Uint8Array(ciphertext)), iv: encodeBase64(iv), keyId };
}

/**
 * Decrypts a stored token with the key its row names.
 * @throws {PermanentError} `token_key_missing` when that key is no longer configured,
 *   `token_undecryptable` when the ciphertext, IV or shop do not match the key.
 */
export async function openToken(
  keyring: TokenKeyring,
  shop: string,
  sealed: SealedToken,
): Promise<string> {
  const key = await cryptoKey(keyring, sealed.keyId);
  const iv = decodeBase64(sealed.iv);
  const ciphertext = decodeBase64(sealed.ciphertext);
  try {
    if (!iv || !ciphertext) throw new Error("stored ciphertext or IV is not base64");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(shop) },
      key,
      ciphertext,
    );
    return new TextDecoder().decode(plain);
  } catch (error) {
    throw new PermanentError(
      "token_undecryptable",
      `The stored Admin token of ${shop} does not decrypt with key "${sealed.keyId}"`,
      { cause: error },
    );
  }
}
