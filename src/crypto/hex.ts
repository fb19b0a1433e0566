/** Lower-case hex of `bytes`, two digits a byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `count` fresh random bytes from the platform CSPRNG, as lower-case hex. */
export function randomHex(count: number): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(count)));
}

/**
 * The bytes of an even-length hex string. Callers check the shape first (for example
 * `/^[0-9a-f]{64}$/i`); a pair that is not hex decodes as 0.
 */
export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor(hex.length / 2));
  for (let i = 0; i < bytes.length; i += 1) {
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}
