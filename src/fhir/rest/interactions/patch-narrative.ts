/**
 * "The server SHALL ensure that the narrative in a resource is not clinically
 * unsafe after the PATCH operation is performed" (http://hl7.org/fhir/R4/http.html#patch).
 * Socle does not write narratives, so when a patch changes the data and
 * leaves the narrative as it was: a narrative made from the data alone
 * (generated, extensions) is dropped, as it no longer tells what the data say;
 * one with more than the data (additional) cannot be dropped without losing
 * that content, and the patch is refused. An empty narrative stays.
 */
import { isDeepStrictEqual } from 'node:util';
import { fail } from '../../../core/errors.js';

type Json = Record<string, unknown>;

function data(resource: Json): Json {
  const { text: _text, meta: _meta, ...rest } = resource;
  return rest;
}

/** Drops from `patched` (in place) a stale derived narrative, or refuses the patch; `original` is the version patched. */
export function keepNarrativeSafe(original: Json, patched: Json): void {
  const text = patched.text as { status?: unknown } | null | undefined;
  // Not a Narrative (null, a string…): validation reports it afterwards.
  if (typeof text !== 'object' || text === null || Array.isArray(text) || text.status === 'empty') return;
  // The patch wrote the narrative itself, or changed nothing it tells: the client's narrative stands.
  if (!isDeepStrictEqual(original.text, patched.text) || isDeepStrictEqual(data(original), data(patched))) return;
  if (text.status === 'additional') throw fail('patch.narrative-unsafe');
  delete patched.text;
}
