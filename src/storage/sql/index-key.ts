/**
 * The longest value an index key holds. PostgreSQL refuses a B-tree entry above
 * 2,704 bytes ("index row size exceeds btree version 4 maximum"), which a long
 * value would pass (an identifier of 3,000 characters; 1,000 characters of a
 * name in a CJK script are 3,000 bytes): every text column a search index
 * holds keeps at most MAX_KEY_BYTES of UTF-8, cut on a character boundary, and
 * the search values compared with those columns are cut the same way. Equality
 * and prefix searches keep their meaning up to that length, on both backends
 * alike; beyond it, values sharing their first MAX_KEY_BYTES are not told apart.
 */
export const MAX_KEY_BYTES = 1024;

/** Each UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4). */
const ALWAYS_FITS = Math.floor(MAX_KEY_BYTES / 3);

export function indexKey(value: string): string;
export function indexKey(value: string | null): string | null;
export function indexKey(value: string | undefined): string | undefined;
export function indexKey(value: string | null | undefined): string | null | undefined {
  if (typeof value !== 'string' || value.length <= ALWAYS_FITS || Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > MAX_KEY_BYTES) break;
    bytes += size;
    end += char.length;
  }
  return value.slice(0, end);
}
