/** _summary and _elements on a read (http://hl7.org/fhir/R4/http.html#read, search.html#summary, #elements). */
import { fail } from '../../../core/errors.js';
import type { Subset } from '../../search/summary.js';
import type { FhirRequest } from '../types.js';

/** The _summary values a read takes (http.html#read: true, text, data, false; count is for searches). */
const READ_SUMMARIES: readonly string[] = ['true', 'text', 'data', 'false'];

/** The _summary and _elements of a read, and of /metadata (the statement is read as any resource is). */
export function subsetOf(request: FhirRequest): Subset {
  const summary = request.query.find(([name]) => name === '_summary')?.[1];
  const elements = request.query.find(([name]) => name === '_elements')?.[1];
  if (summary && !READ_SUMMARIES.includes(summary)) throw fail('search.invalid-control', { name: '_summary', value: summary, expected: 'true, text, data or false' });
  return {
    ...(summary ? { summary: summary as Subset['summary'] } : {}),
    ...(elements ? { elements: elements.split(',').map((e) => e.trim()) } : {}),
  };
}
