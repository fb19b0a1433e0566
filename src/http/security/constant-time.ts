const encoder = new TextEncoder();

/**
 * Compares two secrets in constant time. Both sides are hashed first so the comparison
 * always runs over 32 bytes, whatever the lengths, and leaks neither content nor length.
 */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(left, right);
}
