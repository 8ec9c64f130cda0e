/**
 * ValueSet/$expand (http://hl7.org/fhir/R4/valueset-operation-expand.html):
 * GET [base]/ValueSet/$expand?url=…, GET [base]/ValueSet/[id]/$expand, or POST
 * with a Parameters resource (which may carry the ValueSet itself).
 *
 * Supported inputs: url, valueSet, valueSetVersion, filter, offset, count,
 * activeOnly, excludeNotForUI (abstract and notSelectable codes left out),
 * includeDesignations, includeDefinition, displayLanguage, excludeNested
 * (expansions are always flat). Inputs that would change the result and are
 * not supported (date, context, designation, the system-version family,
 * exclude-system) are refused with a 400 rather than silently ignored: "if
 * a date is provided … return an error if this is not possible".
 * The answer records the parameters that shaped it (expansion.parameter) and
 * pages by offset and count over the whole expansion (expansion.total).
 */
import { randomUUID } from 'node:crypto';
import { fail } from '../../core/errors.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import { ValueSetExpander } from './expand-value-set.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { targetValueSet, terminologySource } from './operation-target.js';
import { textMatcher } from './text-filter.js';
import type { Json, ValueSetResource } from './types.js';

const OPERATION = '$expand';
const REFUSED = ['context', 'contextDirection', 'date', 'designation', 'exclude-system', 'system-version', 'check-system-version', 'force-system-version'];

function expansionParameters(input: OperationInput): Json[] {
  const echoed: Json[] = [];
  const filter = input.string('filter');
  if (filter !== undefined) echoed.push({ name: 'filter', valueString: filter });
  for (const name of ['offset', 'count']) {
    const value = input.integer(name);
    if (value !== undefined) echoed.push({ name, valueInteger: value });
  }
  for (const name of ['activeOnly', 'excludeNotForUI', 'includeDesignations', 'includeDefinition', 'excludeNested']) {
    const value = input.boolean(name);
    if (value !== undefined) echoed.push({ name, valueBoolean: value });
  }
  const language = input.string('displayLanguage');
  if (language !== undefined) echoed.push({ name: 'displayLanguage', valueCode: language });
  return echoed;
}

/** The ValueSet returned: the definition's identity, its expansion, and its compose only when asked for. */
function expandedValueSet(valueSet: ValueSetResource, expansion: Json, includeDefinition: boolean): Json {
  const { resourceType: _type, compose, ...rest } = valueSet as ValueSetResource & Json;
  const kept = Object.fromEntries(Object.entries(rest).filter(([key]) => ['id', 'url', 'identifier', 'version', 'name', 'title', 'status', 'experimental', 'publisher', 'description'].includes(key)));
  return {
    resourceType: 'ValueSet',
    ...kept,
    status: valueSet.status ?? 'active',
    ...(includeDefinition && compose !== undefined ? { compose } : {}),
    expansion,
  };
}

export function expandOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    const refused = REFUSED.find((name) => input.has(name));
    if (refused !== undefined) throw fail('operation.parameter-unsupported', { operation: OPERATION, name: refused });
    const parameter = expansionParameters(input);
    const source = terminologySource(hl7, context);
    const valueSet = await targetValueSet(context, input, source);
    const text = textMatcher(input.string('filter'));
    const activeOnly = input.boolean('activeOnly');
    const excludeNotForUI = input.boolean('excludeNotForUI');
    const includeDesignations = input.boolean('includeDesignations');
    const displayLanguage = input.string('displayLanguage');
    const codes = await new ValueSetExpander(source, {
      ...(text ? { text } : {}),
      ...(activeOnly !== undefined ? { activeOnly } : {}),
      ...(excludeNotForUI !== undefined ? { excludeNotForUI } : {}),
      ...(includeDesignations !== undefined ? { includeDesignations } : {}),
      ...(displayLanguage !== undefined ? { displayLanguage } : {}),
    }).expand(valueSet);
    const offset = input.integer('offset') ?? 0;
    const count = input.integer('count');
    const page = codes.slice(offset, count === undefined ? undefined : offset + count);
    const expansion: Json = {
      identifier: `urn:uuid:${randomUUID()}`,
      timestamp: new Date(context.deps.clock.now()).toISOString(),
      total: codes.length,
      ...(input.has('offset') || count !== undefined ? { offset } : {}),
      ...(parameter.length > 0 ? { parameter } : {}),
      ...(page.length > 0 ? { contains: page } : {}),
    };
    const body = expandedValueSet(valueSet, expansion, input.boolean('includeDefinition') === true);
    return { status: 200, headers: {}, interaction: 'operation:expand', body: { kind: 'json', value: body } };
  }
  return {
    name: 'expand',
    definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand',
    types: ['ValueSet'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
