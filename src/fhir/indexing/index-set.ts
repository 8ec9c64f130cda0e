/**
 * The search index values of one resource, as the FHIR layer computes them and
 * the storage layer writes them (in the same transaction as the resource).
 * Values are already normalised here so that storage stays ignorant of FHIR.
 *
 * `param` is the search parameter code (e.g. "family"); for a component of a
 * composite parameter it is "<code>$<component index>" (e.g. "code-value-quantity$1")
 * and `group` links the components taken from the same element.
 *
 * Dates, numbers and quantities are stored as closed ranges [low, high]:
 * a date "2020-03" becomes [2020-03-01T00:00:00.000Z, 2020-03-31T23:59:59.999Z]
 * in milliseconds since the epoch; an open bound of a Period is ±MAX_INSTANT.
 */

/** The largest instant JavaScript dates represent, used for open Period bounds. */
export const MAX_INSTANT = 8.64e15;
export const MIN_INSTANT = -8.64e15;

export interface StringIndex {
  readonly param: string;
  /** Lower case, accents and ligatures removed, only letters and digits kept (values.ts): used for default and :contains matching. */
  readonly norm: string;
  /** The value as written, for :exact. */
  readonly exact: string;
  /**
   * normalizeString of the whole value when `exact` was cut (a value longer
   * than MAX_INDEXED_STRING characters): :contains reads it, so that a word
   * past the cut is still found. Absent otherwise.
   */
  readonly whole?: string;
  readonly group?: number;
  /**
   * A later word of a multi-word name, `norm` from that word on ("quinones"
   * for "Carreno Quinones"): searches match it, _sort does not read it.
   */
  readonly part?: true;
}

export interface TokenIndex {
  readonly param: string;
  readonly system: string | null;
  readonly code: string | null;
  /** Normalised display or CodeableConcept.text, for :text. */
  readonly text: string | null;
  /** "system|code" of Identifier.type codings, for :of-type (one row per type coding). */
  readonly ofType?: string | null;
  readonly group?: number;
}

export interface DateIndex {
  readonly param: string;
  readonly low: number;
  readonly high: number;
  readonly group?: number;
}

export interface NumberIndex {
  readonly param: string;
  readonly low: number;
  readonly high: number;
  readonly group?: number;
}

export interface QuantityIndex {
  readonly param: string;
  readonly system: string | null;
  readonly code: string | null;
  readonly unit: string | null;
  readonly low: number;
  readonly high: number;
  readonly group?: number;
}

export interface ReferenceIndex {
  readonly param: string;
  /** Resource type and id of a relative (or own-server absolute) reference. */
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** Absolute URL of an external reference, or a canonical URL (without |version). */
  readonly url: string | null;
  /** Version of a canonical reference (after |) or of a versioned literal reference. */
  readonly version?: string | null;
  /** Reference.identifier, for :identifier. */
  readonly identifierSystem?: string | null;
  readonly identifierValue?: string | null;
  readonly group?: number;
}

export interface UriIndex {
  readonly param: string;
  readonly value: string;
  readonly group?: number;
}

export interface IndexSet {
  readonly string: StringIndex[];
  readonly token: TokenIndex[];
  readonly date: DateIndex[];
  readonly number: NumberIndex[];
  readonly quantity: QuantityIndex[];
  readonly reference: ReferenceIndex[];
  readonly uri: UriIndex[];
  /** Normalised narrative (for _text) and all string content (for _content); empty when none. */
  readonly text: { readonly narrative: string; readonly content: string };
}

export function emptyIndexSet(): IndexSet {
  return { string: [], token: [], date: [], number: [], quantity: [], reference: [], uri: [], text: { narrative: '', content: '' } };
}
