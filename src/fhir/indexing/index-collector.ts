/**
 * Accumulates the index rows of one resource, dropping rows identical to one
 * already produced for the same parameter (a name repeated in `name` and
 * `given`, the same code in two codings…).
 */
import type {
  DateIndex, IndexSet, NumberIndex, QuantityIndex, ReferenceIndex, StringIndex, TokenIndex, UriIndex,
} from './index-set.js';
import { emptyIndexSet } from './index-set.js';

/** Beyond this many rows for one parameter, duplicates are found by key rather than by scanning. */
const SCAN_LIMIT = 16;

type RowKind = 'string' | 'token' | 'date' | 'number' | 'quantity' | 'reference' | 'uri';
type Row = StringIndex | TokenIndex | DateIndex | NumberIndex | QuantityIndex | ReferenceIndex | UriIndex;

/**
 * Rows compare field by field. Rows of one kind come from the same literal
 * shapes, so comparing the fields of `a` suffices, except that `ofType`,
 * `group` and `part` may be absent on one side (undefined !== null keeps those apart).
 */
function sameRow(a: Row, b: Row): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key in x) if (x[key] !== y[key]) return false;
  return x.group === y.group && x.ofType === y.ofType && x.part === y.part && x.whole === y.whole;
}

function rowKey(row: Row): string {
  return JSON.stringify(row);
}

export class IndexCollector {
  readonly rows: IndexSet = emptyIndexSet();
  /** Composite group of the rows being added; undefined outside composites. */
  group: number | undefined = undefined;
  private readonly marks: Record<RowKind, number> = { string: 0, token: 0, date: 0, number: 0, quantity: 0, reference: 0, uri: 0 };
  private seen: Map<RowKind, Set<string>> | undefined;

  /** Starts the rows of a new search parameter: duplicates are only looked for among its rows. */
  startParameter(): void {
    const { rows, marks } = this;
    marks.string = rows.string.length;
    marks.token = rows.token.length;
    marks.date = rows.date.length;
    marks.number = rows.number.length;
    marks.quantity = rows.quantity.length;
    marks.reference = rows.reference.length;
    marks.uri = rows.uri.length;
    this.seen = undefined;
  }

  /** Total number of rows so far, to tell whether a composite component produced any. */
  size(): number {
    const r = this.rows;
    return r.string.length + r.token.length + r.date.length + r.number.length + r.quantity.length + r.reference.length + r.uri.length;
  }

  /** The current row counts, to roll back to. */
  snapshot(): Record<RowKind, number> {
    const r = this.rows;
    return { string: r.string.length, token: r.token.length, date: r.date.length, number: r.number.length, quantity: r.quantity.length, reference: r.reference.length, uri: r.uri.length };
  }

  /** Drops every row added since `sizes` was taken (a composite group with a missing component). */
  rollback(sizes: Record<RowKind, number>): void {
    const r = this.rows;
    // Truncating an array is a runtime call: only for the lists that grew.
    if (r.string.length !== sizes.string) r.string.length = sizes.string;
    if (r.token.length !== sizes.token) r.token.length = sizes.token;
    if (r.date.length !== sizes.date) r.date.length = sizes.date;
    if (r.number.length !== sizes.number) r.number.length = sizes.number;
    if (r.quantity.length !== sizes.quantity) r.quantity.length = sizes.quantity;
    if (r.reference.length !== sizes.reference) r.reference.length = sizes.reference;
    if (r.uri.length !== sizes.uri) r.uri.length = sizes.uri;
    // The key sets may hold keys of dropped rows: rebuild them when next needed.
    this.seen = undefined;
  }

  addString(param: string, exact: string, norm: string, whole?: string): void {
    const group = this.group;
    const row = group === undefined ? { param, norm, exact } : { param, norm, exact, group };
    this.push('string', this.rows.string, whole === undefined ? row : { ...row, whole });
  }

  /**
   * A later word of a name, on its own (extract-values.ts, addName): `exact`
   * is the whole value, so that :exact still compares the name as written.
   * Not inside composites, whose components match whole values.
   */
  addStringPart(param: string, exact: string, norm: string): void {
    if (this.group !== undefined) return;
    this.push('string', this.rows.string, { param, norm, exact, part: true });
  }

  addToken(param: string, system: string | null, code: string | null, text: string | null): void {
    const group = this.group;
    this.push('token', this.rows.token, group === undefined ? { param, system, code, text } : { param, system, code, text, group });
  }

  /** An Identifier row, carrying the Identifier.type coding for :of-type. */
  addIdentifierToken(param: string, system: string | null, code: string | null, text: string | null, ofType: string | null): void {
    const group = this.group;
    this.push('token', this.rows.token, group === undefined
      ? { param, system, code, text, ofType }
      : { param, system, code, text, ofType, group });
  }

  addDate(param: string, low: number, high: number): void {
    const group = this.group;
    this.push('date', this.rows.date, group === undefined ? { param, low, high } : { param, low, high, group });
  }

  addNumber(param: string, low: number, high: number): void {
    const group = this.group;
    this.push('number', this.rows.number, group === undefined ? { param, low, high } : { param, low, high, group });
  }

  addQuantity(param: string, system: string | null, code: string | null, unit: string | null, low: number, high: number): void {
    const group = this.group;
    this.push('quantity', this.rows.quantity, group === undefined
      ? { param, system, code, unit, low, high }
      : { param, system, code, unit, low, high, group });
  }

  addReference(param: string, row: Omit<ReferenceIndex, 'param' | 'group'>): void {
    const group = this.group;
    this.push('reference', this.rows.reference, group === undefined
      ? { param, targetType: row.targetType, targetId: row.targetId, url: row.url, version: row.version ?? null, identifierSystem: row.identifierSystem ?? null, identifierValue: row.identifierValue ?? null }
      : { param, targetType: row.targetType, targetId: row.targetId, url: row.url, version: row.version ?? null, identifierSystem: row.identifierSystem ?? null, identifierValue: row.identifierValue ?? null, group });
  }

  addUri(param: string, value: string): void {
    const group = this.group;
    this.push('uri', this.rows.uri, group === undefined ? { param, value } : { param, value, group });
  }

  private push<T extends Row>(kind: RowKind, list: T[], row: T): void {
    const start = this.marks[kind];
    if (list.length - start <= SCAN_LIMIT) {
      for (let i = list.length - 1; i >= start; i--) if (sameRow(list[i] as T, row)) return;
      list.push(row);
      return;
    }
    // Many values for one parameter (a CodeSystem's codes): switch to a key set.
    this.seen ??= new Map();
    let keys = this.seen.get(kind);
    if (!keys) {
      keys = new Set(list.slice(start).map(rowKey));
      this.seen.set(kind, keys);
    }
    const key = rowKey(row);
    if (keys.has(key)) return;
    keys.add(key);
    list.push(row);
  }
}
