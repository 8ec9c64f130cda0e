/**
 * Page links carry an opaque cursor: the keyset position and the rid bound of
 * the search. It holds only data that storage binds as parameters, so a forged
 * cursor can at worst select another page of what the client may search anyway.
 */
import { fail } from '../../core/errors.js';
import type { Cursor } from '../../storage/query.js';

export interface PageCursor extends Cursor {
  readonly maxRid: number;
}

export function encodeCursor(cursor: PageCursor): string {
  const compact = { v: cursor.values, r: cursor.rid, d: cursor.direction === 'next' ? 'n' : 'p', m: cursor.maxRid };
  return Buffer.from(JSON.stringify(compact)).toString('base64url');
}

export function decodeCursor(text: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; r?: unknown; d?: unknown; m?: unknown };
    const values = parsed.v;
    if (
      !Array.isArray(values) ||
      !values.every((v) => v === null || (typeof v === 'string' && !v.includes('\u0000')) || typeof v === 'number') ||
      !Number.isSafeInteger(parsed.r) || !Number.isSafeInteger(parsed.m) ||
      (parsed.d !== 'n' && parsed.d !== 'p')
    ) {
      throw new Error('shape');
    }
    return { values: values as (string | number | null)[], rid: parsed.r as number, direction: parsed.d === 'n' ? 'next' : 'previous', maxRid: parsed.m as number };
  } catch {
    throw fail('search.invalid-cursor');
  }
}
