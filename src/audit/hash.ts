import { sha256Hex } from "../crypto/digest";
import { canonicalJson } from "./canonical-json";

/** The `prevHash` of the first entry: 64 zeros, as no entry precedes it. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit entry that its hash covers (everything but the hashes). */
export interface HashedFields {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  before: string | null;
  after: string | null;
}

/** Lower-case hex SHA-256 of `prevHash` followed by the canonical JSON of the entry. */
export async function chainHash(prevHash: string, fields: HashedFields): Promise<string> {
  return sha256Hex(prevHash + canonicalJson(fields));
}
