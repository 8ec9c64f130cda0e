/**
 * The conditions a uri search value stands for (http://hl7.org/fhir/R4/search.html#uri,
 * #versions), over the uri index, which keeps each value as written.
 *
 * - Exact: "the entire URI must match". A uri-typed parameter may read a
 *   canonical element (`_profile` reads meta.profile: `canonicals`), whose
 *   value carries its version as "url|1.0"; a search by the url alone matches
 *   every version (search.html#versions: the "|[version]" part is what narrows
 *   a search to a business version). In other uri values a "|" is part of the
 *   value (CarePlan.instantiatesUri "…/protocole|2" is not a version).
 * - :below: the URLs under the value's path ("http://acme.org/fhir/" finds
 *   "http://acme.org/fhir/ValueSet/123"), on segment boundaries ("/fhir" does
 *   not find "/fhirx"); of a canonical element, the versions of the URL
 *   itself too, and "url|1" finds versions 1, 1.0, 1.1, not 10 (as :below on
 *   a canonical reference does).
 * - :above: the URLs the value lies under, on segment boundaries: the value
 *   itself, each of its paths with and without the final "/", and its
 *   authority ("http://acme.org"); of a canonical element, "url|2.0" is under "url".
 *
 * "The :above and :below modifiers only apply to URLs, and not URNs such as
 * OIDs": a value that is not a hierarchical URL (scheme://authority…) is refused.
 */
import type { Condition } from '../../storage/query.js';

/** A URL with an authority: scheme "://" authority, the path after it. */
const HIERARCHICAL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#|]*/;

/** Paths one :above value may stand for: each is a value of an IN list. */
export const MAX_URI_SEGMENTS = 64;

export type UriProblem = 'not-a-url' | 'too-many-segments';

/** On a canonical element: `value` as written, or any version of it when it names none. */
export function uriEquals(param: string, value: string): Condition {
  const exact: Condition = { kind: 'uri', param, values: [value] };
  if (value.includes('|')) return exact;
  return { kind: 'or', any: [exact, { kind: 'uri', param, prefix: `${value}|` }] };
}

/** :below (see above), or the reason it cannot apply. */
export function uriBelow(param: string, value: string, canonicals: boolean): Condition | UriProblem {
  if (!HIERARCHICAL.test(value)) return 'not-a-url';
  if (canonicals && value.includes('|')) {
    // A canonical's version and those below it: "1" → 1, 1.0, 1.1, not 10.
    return { kind: 'or', any: [{ kind: 'uri', param, values: [value] }, { kind: 'uri', param, prefix: `${value}.` }] };
  }
  if (value.endsWith('/')) return { kind: 'uri', param, prefix: value };
  const any: Condition[] = [{ kind: 'uri', param, values: [value] }, { kind: 'uri', param, prefix: `${value}/` }];
  if (canonicals) any.push({ kind: 'uri', param, prefix: `${value}|` });
  return { kind: 'or', any };
}

/** :above (see above), or the reason it cannot apply. */
export function uriAbove(param: string, value: string, canonicals: boolean): Condition | UriProblem {
  const authority = HIERARCHICAL.exec(value);
  if (!authority) return 'not-a-url';
  const bar = canonicals ? value.indexOf('|') : -1;
  const url = bar >= 0 ? value.slice(0, bar) : value;
  const values = new Set<string>([value, url]);
  for (let slash = url.indexOf('/', authority[0].length); slash >= 0; slash = url.indexOf('/', slash + 1)) {
    values.add(url.slice(0, slash));
    values.add(url.slice(0, slash + 1));
    if (values.size > 2 * MAX_URI_SEGMENTS) return 'too-many-segments';
  }
  values.add(authority[0]);
  return { kind: 'uri', param, values: [...values] };
}
