/**
 * The query vocabulary between the FHIR search layer and storage: conditions
 * over index rows, sort keys and keyset cursors. The FHIR layer turns a search
 * URL into a SearchPlan; each backend turns the plan into parameterised SQL.
 * Values are always data: nothing here is ever spliced into query text.
 *
 * `param` is always "<ResourceType>.<code>" (e.g. "Patient.family"), or
 * "<ResourceType>.<code>$<n>" for the n-th component of a composite parameter;
 * parameters defined on Resource itself (_tag, _profile, _security, _source)
 * are "Resource.<code>" whatever the type, so that a system-wide search uses one key.
 */
import type { StoredVersion } from './contract.js';

/** "Patient.family", or "Resource._tag" for the parameters every type shares. */
export function qualifiedParam(resourceType: string, code: string): string {
  return code.startsWith('_') ? `Resource.${code}` : `${resourceType}.${code}`;
}

export type IndexTable = 'string' | 'token' | 'date' | 'number' | 'quantity' | 'reference' | 'uri';

/** FHIR search prefixes (http://hl7.org/fhir/R4/search.html#prefix). */
export type RangePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export type Condition =
  /** String match on the normalised value (prefix, contains) or on the exact value. */
  /** `also`: parameters whose rows stand for this one's (values stored once), read as if they were its own. */
  | { readonly kind: 'string'; readonly param: string; readonly also?: readonly string[]; readonly match: 'prefix' | 'contains' | 'exact'; readonly value: string }
  /**
   * Token match. system undefined: any system; null: no system; code undefined: any code.
   * codes: any of these codes (an IN list: a value set's or a hierarchy's codes, for :in, :below, :above).
   * textPrefix: :text, prefix of the normalised display/text. ofType: :of-type on Identifier.
   */
  | {
    readonly kind: 'token'; readonly param: string; readonly system?: string | null; readonly code?: string;
    readonly codes?: readonly string[]; readonly textPrefix?: string; readonly ofType?: string;
    /** Codes starting with this text (a mime type's parameters: text/xml; charset=UTF-8 under text/xml). */
    readonly codePrefix?: string;
  }
  /** Range comparison on dates, numbers and quantities, by the FHIR prefix rules; [low, high] is the search value's range. */
  | {
    readonly kind: 'range'; readonly table: 'date' | 'number' | 'quantity'; readonly param: string;
    readonly prefix: RangePrefix; readonly low: number; readonly high: number;
    /** Quantities only: unit system and code; undefined matches any. */
    readonly system?: string | null; readonly code?: string;
  }
  /** Reference match on a local target (type and/or id), an absolute or canonical URL, or Reference.identifier. */
  | {
    readonly kind: 'reference'; readonly param: string;
    readonly targetTypes?: readonly string[]; readonly targetId?: string;
    readonly url?: string; readonly version?: string;
    /** A canonical's version or its sub-versions (:below: "1" matches 1, 1.0 and 1.1; search.html#versions). */
    readonly versionBelow?: string;
    readonly identifierSystem?: string | null; readonly identifierValue?: string;
  }
  /**
   * Uri match: the value is one of `values` (an IN list), or starts with `prefix`; one of the two.
   * The FHIR layer builds :below and :above, and the versions of a canonical, from these.
   */
  | { readonly kind: 'uri'; readonly param: string; readonly values?: readonly string[]; readonly prefix?: string }
  /** The resource has at least one index value for the parameter (:missing=false). */
  | { readonly kind: 'present'; readonly table: IndexTable; readonly param: string; readonly also?: readonly string[] }
  | { readonly kind: 'id'; readonly ids: readonly string[] }
  | { readonly kind: 'lastUpdated'; readonly prefix: RangePrefix; readonly low: number; readonly high: number }
  /** Contains-match on the narrative (_text) or the whole content (_content), normalised. */
  | { readonly kind: 'text'; readonly field: 'narrative' | 'content'; readonly value: string }
  /** Components of one composite parameter, all matched on rows of the same group. */
  | { readonly kind: 'composite'; readonly components: readonly Condition[] }
  /**
   * Chained search: the reference parameter points to a resource of targetType matching every condition.
   * `canonical`: targetType is a canonical resource, which a reference may also name by url (see CanonicalKeys).
   */
  | { readonly kind: 'chain'; readonly param: string; readonly targetType: string; readonly where: readonly Condition[]; readonly canonical?: CanonicalKeys }
  /**
   * Reverse chaining (_has): some resource of sourceType, whose reference `param` points here, matches every condition.
   * `canonical`: the resources searched are canonical resources, which the reference may also name by url.
   */
  | { readonly kind: 'reverse'; readonly sourceType: string; readonly param: string; readonly where: readonly Condition[]; readonly canonical?: CanonicalKeys }
  | { readonly kind: 'or'; readonly any: readonly Condition[] }
  | { readonly kind: 'and'; readonly all: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  /** Only these resource types (system-level search with _type). */
  | { readonly kind: 'type'; readonly types: readonly string[] };

/**
 * How a canonical resource is named by a canonical reference "url|version"
 * (references.html#canonical): its `urlParam` uri row holds the url and,
 * when the reference gives a version, its `versionParam` token row holds it.
 */
export interface CanonicalKeys {
  /** "Questionnaire.url" */
  readonly urlParam: string;
  /** "Questionnaire.version"; absent, a version in the reference is not compared. */
  readonly versionParam?: string;
}

export interface SortKey {
  /**
   * `preferred`: parameters whose rows, when a resource has any, give its sort
   * value instead of `param`'s (a quantity's rows in canonical units).
   */
  readonly by: 'id' | 'lastUpdated' | { readonly table: IndexTable; readonly param: string; readonly also?: readonly string[]; readonly preferred?: readonly string[] };
  readonly descending: boolean;
}

/** Keyset position: the sort values and rid of the row the page starts after (or ends before). */
export interface Cursor {
  readonly values: readonly (string | number | null)[];
  readonly rid: number;
  readonly direction: 'next' | 'previous';
}

export interface SearchPlan {
  /** Types searched; empty for a system-wide search. */
  readonly resourceTypes: readonly string[];
  readonly where: readonly Condition[];
  readonly sort: readonly SortKey[];
  /** Page size; 0 returns no rows (only the total when asked). */
  readonly count: number;
  readonly cursor?: Cursor;
  readonly total: 'none' | 'estimate' | 'accurate';
  /** Resources created after the search began are left out, so pages stay stable. */
  readonly maxRid?: number;
}

export interface SearchPage {
  readonly rows: StoredVersion[];
  /** Present when asked for, or when known cheaply. */
  readonly total?: number;
  /** Sort values of each row, aligned with rows, for building cursors. */
  readonly sortValues: readonly (readonly (string | number | null)[])[];
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
  /** The rid bound the search ran under (to be carried in page links). */
  readonly maxRid: number;
}

export interface IncludeRequest {
  readonly sources: readonly Pick<StoredVersion, 'rid' | 'resourceType'>[];
  /** Reference parameters "Type.code" whose targets to fetch. */
  readonly params: readonly string[];
  readonly targetType?: string;
  /**
   * Canonical resource types the references may name by canonical URL
   * (Questionnaire for QuestionnaireResponse.questionnaire): their `url`
   * search parameter finds the targets, their `version` the version asked for.
   */
  readonly canonicalTypes?: readonly string[];
  readonly limit: number;
}

export interface RevIncludeRequest {
  readonly targets: readonly Pick<StoredVersion, 'resourceType' | 'id'>[];
  readonly sourceType: string;
  /** "Type.code" of the reference parameters on the source type (all of them for "*"). */
  readonly params: readonly string[];
  /** Canonical URLs (and versions) of the targets that are canonical resources: references naming them by URL count too. */
  readonly canonicals?: readonly { readonly url: string; readonly version?: string; readonly resourceType: string; readonly id: string }[];
  readonly limit: number;
}

export interface HistoryCursor {
  readonly lastUpdated: number;
  readonly rid: number;
  readonly versionId: number;
}

export interface HistoryQuery {
  readonly resourceType?: string;
  readonly id?: string;
  /** Only versions last updated at or after this instant (ms). */
  readonly since?: number;
  /** Only versions last updated at or before this instant (ms): the snapshot bound of paging. */
  readonly until?: number;
  readonly count: number;
  readonly after?: HistoryCursor;
}

export interface HistoryPage {
  /** Newest first. */
  readonly rows: StoredVersion[];
  readonly hasNext: boolean;
  readonly total?: number;
}
