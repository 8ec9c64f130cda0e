/**
 * The hash chain of the audit trail: each record's hash is
 * SHA-256(previous hash ‖ the record's JSON text as stored), so that altering,
 * removing or reordering any record breaks every hash after it. Hashing the
 * stored text itself (rather than a canonical form of the parsed JSON) leaves
 * nothing to normalise: a changed byte is a changed record.
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first record. */
export const GENESIS = '0'.repeat(64);

export function chainHash(previous: string, content: string): string {
  return createHash('sha256').update(previous).update(content).digest('hex');
}
