/**
 * The professionals whose personne-activité lines are not all next to each
 * other (a hand-made or re-sorted file): a first, cheap pass over the file
 * that reads only the "Identification nationale PP" column. The import then
 * holds their lines aside and writes each of them once, whole, at the end,
 * instead of writing a partial Practitioner per run of lines (each one
 * replacing the previous). The national extract lists a professional's lines
 * together, so the set is empty there.
 *
 * Memory: one 53-bit hash per professional seen (a number in a Set, ~1 M for the
 * national file), plus the idNat_PS of the scattered ones; a hash collision only
 * holds a professional aside for nothing.
 */
import { contentHash } from './import-state.js';
import type { ColumnMap } from './ps-columns.js';
import { readLineBlocks } from './read-lines.js';

const ID_COLUMN = 'Identification nationale PP';

export async function scatteredProfessionals(file: string, columns: ColumnMap): Promise<Set<string>> {
  const done = new Set<number>();
  const scattered = new Set<string>();
  let current: string | undefined;
  let header = true;
  for await (const block of readLineBlocks(file)) {
    for (const line of block.lines) {
      if (header) {
        header = false;
        continue;
      }
      if (line.trim() === '') continue;
      const id = columns.get(columns.split(line), ID_COLUMN);
      if (id === '' || id === current) continue;
      if (current !== undefined) done.add(contentHash(current));
      if (done.has(contentHash(id))) scattered.add(id);
      current = id;
    }
  }
  return scattered;
}
