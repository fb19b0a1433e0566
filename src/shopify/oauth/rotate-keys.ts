import type { Database } from "../../db/client";
import { replaceSealedToken, tokensNotUnder } from "../../db/shop-tokens";
import { PermanentError } from "../../queues/errors";
import { activeKeyId, openToken, sealToken, type TokenKeyring } from "./token-cipher";

// Tokens re-encrypted per call. One per installed shop, so a call normally covers them all;
// the cap keeps a request's D1 and CPU time bounded if it does not.
export const MAX_TOKENS_PER_ROTATION = 500;

export interface RotationReport {
  activeKid: string;
  reencrypted: number;
  /** Rows a reinstall or an uninstall changed while this ran; they need nothing more. */
  skipped: number;
  failed: { shop: string; keyId: string | null; code: string }[];
  /** Tokens still under another key (beyond the cap, or failed): call again. */
  remaining: number;
}

/**
 * Re-encrypts every stored token under the active key. Reads keep working throughout
 * (each row names its own key), so rotating needs no downtime: add the new key, make it
 * active, run this until `remaining` is 0, then drop the old key. Idempotent.
 * @throws {PermanentError} `token_key_missing` when the active key is not configured.
 */
export async function reencryptTokens(
  db: Database,
  keyring: TokenKeyring,
): Promise<RotationReport> {
  const activeKid = activeKeyId(keyring);
  const rows = await tokensNotUnder(db, activeKid, MAX_TOKENS_PER_ROTATION);
  const report: RotationReport = {
    activeKid,
    reencrypted: 0,
    skipped: 0,
    failed: [],
    remaining: 0,
  };

  for (const row of rows) {
    if (!row.ciphertext || !row.iv || !row.keyId) continue;
    try {
      const token = await openToken(keyring, row.shop, {
        ciphertext: row.ciphertext,
        iv: row.iv,
        keyId: row.keyId,
      });
      const sealed = await sealToken(keyring, row.shop, token);
      const replaced = await replaceSealedToken(
        db,
        row.shop,
        { ciphertext: row.ciphertext },
        sealed,
      );
      if (replaced) report.reencrypted += 1;
      else report.skipped += 1;
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      report.failed.push({ shop: row.shop, keyId: row.keyId, code: error.code });
    }
  }

  report.remaining = (await tokensNotUnder(db, activeKid, MAX_TOKENS_PER_ROTATION + 1)).length;
  return report;
}
