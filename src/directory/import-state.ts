/**
 * What the last import of each extract kind wrote: resource key
 * ("Type/id") → hash of the content sent. It tells a re-import which records
 * are unchanged (not sent again), which changed, and which vanished (to be
 * deactivated). Kept in the module's collection "directory.import-state" in
 * chunks of ids, written once the import has run to its end, so that an
 * interrupted import leaves the previous state (and the next run re-sends,
 * which the engine makes idempotent).
 */
import type { Collection } from '../storage/collection.js';
import type { ExtractKind } from './extract-format.js';

export interface StateChunk {
  readonly entries: readonly (readonly [key: string, hash: number])[];
}

const CHUNK = 5_000;
const chunkKey = (kind: ExtractKind, n: number): string => `${kind}/${String(n).padStart(6, '0')}`;

export async function loadImportState(collection: Collection<StateChunk>, kind: ExtractKind): Promise<Map<string, number>> {
  const state = new Map<string, number>();
  let after: string | undefined = `${kind}/`;
  for (;;) {
    const page = await collection.scan(after, 100);
    const mine = page.filter((e) => e.key.startsWith(`${kind}/`));
    for (const chunk of mine) for (const [key, hash] of chunk.value.entries) state.set(key, hash);
    if (mine.length < page.length || page.length < 100) break;
    after = page[page.length - 1]?.key;
  }
  return state;
}

export async function saveImportState(collection: Collection<StateChunk>, kind: ExtractKind, state: ReadonlyMap<string, number>): Promise<void> {
  const entries = [...state.entries()];
  const chunks: [string, StateChunk][] = [];
  for (let i = 0; i * CHUNK < entries.length; i++) chunks.push([chunkKey(kind, i), { entries: entries.slice(i * CHUNK, (i + 1) * CHUNK) }]);
  for (let i = 0; i < chunks.length; i += 20) await collection.putMany(chunks.slice(i, i + 20));
  // Chunks beyond the new count belong to a larger previous state.
  for (let n = chunks.length; ; n++) {
    if (!(await collection.delete(chunkKey(kind, n)))) break;
  }
}

/** cyrb53: a fast 53-bit string hash (collisions ~2^-53 per changed record), enough to spot unchanged content. */
export function contentHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
