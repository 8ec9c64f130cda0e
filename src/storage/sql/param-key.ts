/**
 * Index rows name their search parameter by a 32-bit key, a hash of
 * "<ResourceType>.<code>", instead of repeating the text on millions of rows.
 * A hash needs no registry table shared by processes and backends; a test checks
 * that the keys of every R4 parameter (and composite component) are distinct.
 */
export function paramKey(param: string): number {
  // FNV-1a, 32 bits, as a signed integer (fits INTEGER in both SQLite and PostgreSQL).
  let hash = 0x811c9dc5;
  for (let i = 0; i < param.length; i += 1) {
    hash ^= param.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
