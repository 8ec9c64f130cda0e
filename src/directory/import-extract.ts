/**
 * `directory import`: loads one public extraction file of the national
 * directory (personne-activité, savoir-faire, FINESS), streaming it line by
 * line, through the FHIR engine. Each professional (all the lines of one
 * idNat_PS) or establishment is one unit: its resources are all written
 * or the unit's lines are all rejected, never half-loaded.
 * Malformed lines are reported with their number and skipped. A re-import
 * sends only what changed (content hashes of the previous run, import-state.ts)
 * and deactivates the records the extract no longer lists.
 */
import { statSync } from 'node:fs';
import { fail } from '../core/errors.js';
import type { Collection } from '../storage/collection.js';
import type { EngineAccess } from './engine-writes.js';
import { detectExtractKind, splitSemicolonLine, stripBom, type ExtractKind } from './extract-format.js';
import { parseFinessRow } from './finess-etalab.js';
import type { StateChunk } from './import-state.js';
import type { LineProblem } from './line-problem.js';
import { mapFinessEstablishment, mapPersonGroup } from './map-extracts.js';
import { parsePsActivite, PS_ACTIVITE_REQUIRED, type PsActivite } from './ps-activite.js';
import { columnMap, type ColumnMap } from './ps-columns.js';
import { readLineBlocks } from './read-lines.js';
import { practitionerId } from './identifiers.js';
import { parsePsSavoirFaire, PS_SAVOIR_FAIRE_REQUIRED } from './ps-savoir-faire.js';
import { scatteredProfessionals } from './ps-scattered.js';
import { EnrichmentWriter } from './enrichment-writer.js';
import type { Enrichment } from './enrichment.js';
import { MSSANTE_REQUIRED, parseMssMailbox } from './mssante.js';
import { OwnedWriter, type ImportCounts } from './unit-writers.js';

export type { ImportCounts } from './unit-writers.js';

export interface ImportReport {
  readonly file: string;
  readonly kind: ExtractKind;
  readonly counts: ImportCounts;
  readonly rejections: readonly { readonly line: number; readonly problem: LineProblem }[];
  readonly seconds: number;
}

export interface ImportDeps extends EngineAccess {
  readonly state: Collection<StateChunk>;
  readonly enrichment: Collection<Enrichment>;
  readonly now: () => number;
}

export interface ImportOptions {
  /** Called after each chunk: bytes read so far, file size, counts. */
  readonly onProgress?: (bytes: number, total: number, counts: ImportCounts) => void;
  /** Lines read before their units are written (all the units of a chunk in one commit, each whole or not at all). */
  readonly chunkLines?: number;
  /** Chunks in flight at once (they fill the store's group commits). */
  readonly concurrency?: number;
  /**
   * Deactivate what the previous import of this kind wrote and this file no
   * longer lists (default true: the national extracts are full snapshots).
   * False for a partial file: nothing is deactivated and the state keeps both.
   */
  readonly deactivate?: boolean;
  /** Lines of scattered professionals the import may hold aside (ps-scattered.ts); a file needing more is refused. */
  readonly maxHeldLines?: number;
}

/**
 * About 200 MB of parsed lines: far more than a hand-made file holds, far less
 * than the national extract (~2 M lines) sorted by another column would.
 */
export const MAX_HELD_LINES = 200_000;

/** Imports one extract file; throws a catalogued FhirError when the file itself is unusable. */
export async function importExtract(deps: ImportDeps, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = deps.now();
  const total = statSync(file).size;
  const blocks = readLineBlocks(file);
  const firstBlock = await blocks.next();
  const pending = firstBlock.done ? [] : [...firstBlock.value.lines];
  let bytes = firstBlock.done ? 0 : firstBlock.value.bytes;
  const header = stripBom(pending.shift() ?? '');
  const kind = detectExtractKind(header);
  if (!kind) {
    await blocks.return(undefined);
    throw fail('directory.file.unknown-format', { file });
  }
  let columns: ColumnMap | undefined;
  try {
    columns = kind === 'ps-activite' ? columnMap(header, PS_ACTIVITE_REQUIRED, file)
      : kind === 'ps-savoir-faire' ? columnMap(header, PS_SAVOIR_FAIRE_REQUIRED, file)
      : kind === 'mssante' ? columnMap(header, MSSANTE_REQUIRED, file) : undefined;
  } catch (error) {
    // A column missing: the file is refused before anything is written; the caller may go on with other files.
    await blocks.return(undefined);
    throw error;
  }
  // Professionals whose lines are not together: held aside, written whole at the end (ps-scattered.ts).
  const found = kind === 'ps-activite' ? await scatteredProfessionals(file, columns!) : { ids: new Set<string>(), heldLines: 0 };
  const maxHeldLines = options.maxHeldLines ?? MAX_HELD_LINES;
  if (found.heldLines > maxHeldLines) {
    // Refused before anything is written, as a missing column is.
    await blocks.return(undefined);
    throw fail('directory.file.unsorted', { file, lines: found.heldLines, limit: maxHeldLines });
  }
  const scattered = found.ids;
  const held = new Map<string, { records: PsActivite[]; lines: number[] }>();
  const counts: ImportCounts = { lines: 0, rejected: 0, created: 0, updated: 0, unchanged: 0, deactivated: 0 };
  const rejections: { line: number; problem: LineProblem }[] = [];
  const reject = (line: number, p: LineProblem): void => {
    counts.rejected += 1;
    rejections.push({ line, problem: p });
  };
  const chunkLines = options.chunkLines ?? 500;
  const enriching = kind === 'ps-savoir-faire' || kind === 'mssante'
    ? new EnrichmentWriter(deps, kind === 'mssante' ? 'mailboxes' : 'savoirFaire', counts, reject)
    : undefined;
  const writer = enriching ?? new OwnedWriter(deps, kind, counts, reject, options.deactivate ?? true);
  await writer.begin();
  let lineNumber = 1;
  let inFlight: Promise<void>[] = [];
  const concurrency = options.concurrency ?? 4;
  const flushIfFull = async (force = false): Promise<void> => {
    if (writer.pendingLines() < chunkLines && !force) return;
    inFlight.push(writer.flush());
    if (inFlight.length >= concurrency || force) {
      await Promise.all(inFlight);
      inFlight = [];
      options.onProgress?.(bytes, total, counts);
    }
  };

  let group: { id: string; records: PsActivite[]; lines: number[] } | undefined;
  const closeGroup = (): void => {
    if (group) writer.add(mapPersonGroup(group.records), group.lines);
    group = undefined;
  };

  /** Reads one line; true when it ends at a point where the pending units may be written (never inside a professional's lines). */
  const handleLine = (line: string): boolean => {
    lineNumber += 1;
    if (line.trim() === '') return false;
    counts.lines += 1;
    if (kind === 'finess-etalab') {
      const fields = splitSemicolonLine(line);
      const parsed = parseFinessRow(fields);
      if (!parsed.ok) {
        reject(lineNumber, parsed.problem);
        writer.protect([`Organization/1${fields[1] ?? ''}`, `Organization/1${fields[2] ?? ''}`]);
      } else if (parsed.record.kind === 'establishment') writer.add(mapFinessEstablishment(parsed.record.value), [lineNumber]);
      return true;
    }
    if (enriching) {
      if (kind === 'mssante') {
        const parsed = parseMssMailbox(columns!.split(line), columns!);
        if (!parsed.ok) reject(lineNumber, parsed.problem);
        else enriching.addValue(parsed.record.holder, { address: parsed.record.address, type: parsed.record.type, ...(parsed.record.service ? { service: parsed.record.service } : {}) }, lineNumber);
      } else {
        const parsed = parsePsSavoirFaire(columns!.split(line), columns!);
        if (!parsed.ok) reject(lineNumber, parsed.problem);
        else enriching.addValue(`Practitioner/${practitionerId(parsed.record.idNatPs)}`, { type: parsed.record.type, code: parsed.record.code, ...(parsed.record.display ? { display: parsed.record.display } : {}) }, lineNumber);
      }
      return false;
    }
    const fields = columns!.split(line);
    const parsed = parsePsActivite(fields, columns!);
    if (!parsed.ok) {
      reject(lineNumber, parsed.problem);
      const idNatPs = columns!.get(fields, 'Identification nationale PP');
      // A malformed line is not a vanished professional: keep what it wrote last time.
      if (idNatPs) writer.protect([`Practitioner/${idNatPs}`], [`PractitionerRole/${idNatPs}-`]);
      return false;
    }
    const record = parsed.record;
    if (scattered.has(record.idNatPs)) {
      const aside = held.get(record.idNatPs) ?? { records: [], lines: [] };
      aside.records.push(record);
      aside.lines.push(lineNumber);
      held.set(record.idNatPs, aside);
      return false;
    }
    if (group && group.id !== record.idNatPs) closeGroup();
    group ??= { id: record.idNatPs, records: [], lines: [] };
    group.records.push(record);
    group.lines.push(lineNumber);
    // A new professional has just started: the previous ones are complete.
    return group.records.length === 1;
  };
  const readBlock = async (lines: readonly string[]): Promise<void> => {
    for (const line of lines) if (handleLine(line) && writer.pendingLines() >= chunkLines) await flushIfFull();
  };

  await readBlock(pending);
  for await (const block of blocks) {
    bytes = block.bytes;
    await readBlock(block.lines);
  }
  closeGroup();
  for (const aside of held.values()) {
    writer.add(mapPersonGroup(aside.records), aside.lines);
    if (writer.pendingLines() >= chunkLines) await flushIfFull();
  }
  await flushIfFull(true);
  await writer.finish();
  options.onProgress?.(total, total, counts);
  rejections.sort((a, b) => a.line - b.line);
  return { file, kind, counts, rejections, seconds: (deps.now() - started) / 1000 };
}
