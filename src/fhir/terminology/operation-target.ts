/**
 * What every terminology operation starts from: the request's terminology
 * (stored resources read as the caller, then HL7's), and the ValueSet or
 * CodeSystem it is about: the instance it is invoked on, a canonical url, or
 * a resource POSTed whole (operations.html: "If the operation is not called at
 * the instance level, one of the in parameters url … or valueSet must be
 * provided").
 */
import { fail } from '../../core/errors.js';
import type { OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import type { CodeSystemIndex } from './code-system-index.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import type { OperationInput } from './operation-input.js';
import { readStored, storedReader } from './stored-resources.js';
import { TerminologySource } from './terminology-source.js';
import { canonicalText, splitCanonical, type CodeSystemResource, type Json, type ValueSetResource } from './types.js';

export function terminologySource(hl7: Hl7Terminology, context: OperationContext): TerminologySource {
  return new TerminologySource(hl7, storedReader(context.dispatch, context.request));
}

/**
 * A canonical and the separate version parameter: "url|version" wins if both
 * are given. A canonical without its url ("|1") names nothing: 400, rather
 * than a search on an empty url that any resource would answer.
 */
export function canonicalOf(input: OperationInput, name: string, url: string, version: string | undefined): { url: string; version?: string } {
  const split = splitCanonical(url);
  if (split.url === '') throw fail('terminology.parameter-invalid', { operation: input.operation, name, value: url, expected: 'a canonical url' });
  const chosen = split.version ?? version;
  return chosen === undefined ? { url: split.url } : { url: split.url, version: chosen };
}

/** The ValueSet of ValueSet/$expand and ValueSet/$validate-code. */
export async function targetValueSet(context: OperationContext, input: OperationInput, source: TerminologySource): Promise<ValueSetResource> {
  const url = input.string('url');
  const inline = input.resource<ValueSetResource>('valueSet', 'ValueSet');
  if (context.target.id !== undefined) {
    return (await readStored(context.dispatch, context.request, 'ValueSet', context.target.id)) as ValueSetResource;
  }
  if ((url === undefined) === (inline === undefined)) throw fail('terminology.parameter-one-of', { operation: input.operation, names: 'url, valueSet' });
  if (inline) return inline;
  const canonical = canonicalOf(input, 'url', url as string, input.string('valueSetVersion'));
  const found = await source.valueSet(canonical.url, canonical.version);
  if (!found) throw fail('terminology.value-set-unknown', { url: canonicalText(canonical.url, canonical.version) });
  return found;
}

/**
 * The code system an operation works in: the instance, or the one a url
 * names (`url` for $validate-code, `system` for $lookup and $subsumes).
 */
export async function targetCodeSystem(
  context: OperationContext, source: TerminologySource, url: string | undefined, version: string | undefined, input: OperationInput, urlName: string,
): Promise<CodeSystemIndex> {
  if (context.target.id !== undefined) {
    const stored = (await readStored(context.dispatch, context.request, 'CodeSystem', context.target.id)) as CodeSystemResource;
    if (url !== undefined && stored.url !== undefined && splitCanonical(url).url !== stored.url) {
      throw fail('terminology.system-mismatch', { operation: input.operation, given: url, expected: stored.url });
    }
    // The instance is one version: asking it for another names a code system it is not.
    const asked = (url !== undefined ? splitCanonical(url).version : undefined) ?? version;
    if (asked !== undefined && asked !== stored.version) {
      throw fail('terminology.code-system-unknown', { system: canonicalText(stored.url ?? `CodeSystem/${context.target.id}`, asked) });
    }
    const index = source.indexOf(stored);
    if (!index) throw fail('terminology.code-system-unknown', { system: canonicalText(stored.url ?? `CodeSystem/${context.target.id}`, stored.version) });
    return index;
  }
  if (url === undefined) throw fail('terminology.parameter-missing', { operation: input.operation, name: urlName });
  const canonical = canonicalOf(input, urlName, url, version);
  const index = await source.codeSystem(canonical.url, canonical.version);
  if (!index) throw fail('terminology.code-system-unknown', { system: canonicalText(canonical.url, canonical.version) });
  return index;
}

/** The 200 answer of an operation returning Parameters. */
export function parametersResponse(operation: string, parameter: readonly Json[]): FhirResponse {
  return { status: 200, headers: {}, interaction: `operation:${operation}`, body: { kind: 'json', value: { resourceType: 'Parameters', parameter } } };
}
