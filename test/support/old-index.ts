/**
 * Turns a store's search index back into what index format 1 wrote (before
 * fhir/indexing/index-format.ts's format 2), for the tests of the reindex:
 * string values normalised with punctuation and single spaces kept, no row
 * per later word of a name, and the given token codes in their original
 * case. Works on a stopped store, through direct SQL (raw-database.ts).
 */
import type { PreparedBackend } from './backends.js';
import { rawSql } from './raw-database.js';

/** Format 1's string normalisation: lower case, accents folded, whitespace collapsed, punctuation kept. */
export function formatOneNorm(value: string): string {
  return value.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim();
}

/**
 * Rewrites every string row as format 1 had it, drops the rows of names'
 * later words (grp -1), puts each of `tokenCodes` (lower case → as written)
 * back in its written case, and records `format` (1 by default; the current
 * one to leave the store believing its index is up to date).
 */
export async function writeFormatOneIndex(prepared: PreparedBackend, tokenCodes: readonly string[], format = 1): Promise<void> {
  await rawSql(prepared, 'DELETE FROM idx_string WHERE grp = -1');
  const rows = await rawSql<{ rid: number; pkey: number; grp: number; norm: string; exact: string }>(prepared, 'SELECT rid, pkey, grp, norm, exact FROM idx_string');
  for (const row of rows) {
    await rawSql(prepared, 'UPDATE idx_string SET norm = ? WHERE rid = ? AND pkey = ? AND grp = ? AND norm = ? AND exact = ?',
      [formatOneNorm(row.exact), row.rid, row.pkey, row.grp, row.norm, row.exact]);
  }
  for (const code of tokenCodes) await rawSql(prepared, 'UPDATE idx_token SET code = ? WHERE code = ?', [code, code.toLowerCase()]);
  await rawSql(prepared, 'UPDATE index_format SET version = ?', [format]);
}
