/**
 * The professionals whose personne-activité lines are not all next to each
 * other (a hand-made or re-sorted file): a first, cheap pass over the file
 * that reads only the "Identification nationale PP" column. The import then
 * holds their lines aside and writes each of them once, whole, at the end,
 * instead of writing a partial Practitioner per run of lines (each one
 * replacing the previous). The national extract lists a professional's lines
 * together, so the set is empty there.
 *
 * Memory: one 53-bit hash and a line count per professional seen (~1 M for
 * the national file), plus the idNat_PS of the scattered ones; a hash
 * collision only holds a professional aside for nothing. The lines held aside
 * are the other cost: `heldLines` counts them before the import reads a line,
 * so that a file sorted by another column (everything held) is refused whole
 * rather than filling the memory half-way through.
 */
import { contentHash } from './import-state.js';
import type { ColumnMap } from './ps-columns.js';
import { readLineBlocks } from './read-lines.js';

const ID_COLUMN = 'Identification nationale PP';

export interface ScatteredProfessionals {
  readonly ids: ReadonlySet<string>;
  /** How many lines the import will hold aside: all the lines of those professionals. */
  readonly heldLines: number;
}

export async function scatteredProfessionals(file: string, columns: ColumnMap): Promise<ScatteredProfessionals> {
  const lineCounts = new Map<number, number>();
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
      const id = columns.field(line, ID_COLUMN);
      if (id === '') continue;
      const key = contentHash(id);
      const seen = lineCounts.get(key) ?? 0;
      // Lines seen before, but not in the run just ended: this professional's lines are apart.
      if (id !== current && seen > 0) scattered.add(id);
      current = id;
      lineCounts.set(key, seen + 1);
    }
  }
  let heldLines = 0;
  for (const id of scattered) heldLines += lineCounts.get(contentHash(id)) ?? 0;
  return { ids: scattered, heldLines };
}
