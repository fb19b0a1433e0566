import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/digest";
import { bytesToHex, hexToBytes, randomHex } from "../../src/crypto/hex";
import { hmacSha256, verifyHmacSha256 } from "../../src/crypto/hmac";

const encoder = new TextEncoder();

describe("crypto helpers", () => {
  it("writes bytes as two lower-case hex digits each and reads them back", () => {
    const bytes = Uint8Array.of(0, 1, 15, 16, 171, 255);
    expect(bytesToHex(bytes)).toBe("00010f10abff");
    expect([...hexToBytes("00010F10abff")]).toEqual([...bytes]);
  });

  it("draws random hex of twice the requested byte count", () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(16)).not.toBe(randomHex(16));
  });

  it("hashes strings and bytes alike with SHA-256 (FIPS 180-2 'abc' vector)", async () => {
    const expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(await sha256Hex("abc")).toBe(expected);
    expect(await sha256Hex(encoder.encode("abc"))).toBe(expected);
  });

  it("signs with HMAC-SHA256 (RFC 4231 test case 2) and verifies against any listed secret", async () => {
    const message = "what do ya want for nothing?";
    const mac = await hmacSha256("Jefe", message);
    expect(bytesToHex(mac)).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    expect(await verifyHmacSha256(["old", "Jefe"], mac, encoder.encode(message))).toBe(true);
    expect(await verifyHmacSha256(["old"], mac, encoder.encode(message))).toBe(false);
  });
});
