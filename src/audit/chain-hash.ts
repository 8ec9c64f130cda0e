/**
 * The hash chain of the audit trail: each record's hash is
 * SHA-256(previous hash ‖ canonical JSON of the AuditEvent without meta), so
 * that altering, removing or reordering any record breaks every hash after it.
 * Canonical JSON: object keys sorted, no whitespace (the JSON Canonicalization
 * Scheme of RFC 8785 for the values AuditEvents hold: strings, integers, booleans).
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first record. */
export const GENESIS = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The chained hash of an AuditEvent (its meta, set by the store, is left out). */
export function chainHash(previous: string, resource: Record<string, unknown>): string {
  const { meta: _meta, ...content } = resource;
  return createHash('sha256').update(previous).update(canonicalJson(content)).digest('hex');
}

/** One link of the chain, kept in the collection `audit.chain` under its zero-padded sequence. */
export interface ChainLink {
  readonly sequence: number;
  /** The AuditEvent's id. */
  readonly id: string;
  readonly previous: string;
  readonly hash: string;
}

/** The last link, kept under the key "head" (it sorts after every sequence). */
export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

export const CHAIN_COLLECTION = 'audit.chain';
export const HEAD_KEY = 'head';

export function sequenceKey(sequence: number): string {
  return String(sequence).padStart(15, '0');
}
