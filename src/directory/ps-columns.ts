/**
 * Column lookup by header name for the PS_LibreAcces extracts. The ANS has
 * added columns over the years (role, activity genre…): reading by name keeps
 * the parser right on older and newer layouts; a missing required column is a
 * file error, reported before any line is read.
 */
import { fail } from '../core/errors.js';
import { splitPipeLine } from './extract-format.js';

export interface ColumnMap {
  readonly count: number;
  /** Splits a data line the way the header is written (with or without a closing '|'). */
  split(line: string): string[];
  /** The field of `fields` under `column`, '' when the file has no such column. */
  get(fields: readonly string[], column: string): string;
  /** The one field of a data line under `column`, found without splitting the whole line (a pass reading one column). */
  field(line: string, column: string): string;
}

/** Builds the map from the header line; throws directory.file.missing-column for a required column not there. */
export function columnMap(headerLine: string, required: readonly string[], file: string): ColumnMap {
  const text = headerLine.replace(/^\uFEFF/, '');
  // PS_LibreAcces lines end with a '|'; the MSSanté extract's do not, so its last empty field ends a line with '|'.
  const closed = text.endsWith('|');
  const header = splitPipeLine(text);
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  for (const column of required) if (!index.has(column)) throw fail('directory.file.missing-column', { file, column });
  return {
    count: header.length,
    split: (line) => (closed ? splitPipeLine(line) : line.split('|').map((f) => f.trim())),
    get(fields, column) {
      const i = index.get(column);
      return i === undefined ? '' : (fields[i] ?? '');
    },
    field(line, column) {
      const i = index.get(column);
      if (i === undefined) return '';
      let start = 0;
      for (let n = 0; n < i; n++) {
        const bar = line.indexOf('|', start);
        if (bar < 0) return '';
        start = bar + 1;
      }
      const end = line.indexOf('|', start);
      return line.slice(start, end < 0 ? line.length : end).trim();
    },
  };
}
