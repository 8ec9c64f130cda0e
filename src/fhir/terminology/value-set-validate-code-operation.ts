/**
 * ValueSet/$validate-code (http://hl7.org/fhir/R4/valueset-operation-validate-code.html):
 * is a code in a value set? The value set is the instance, or given by url
 * (+valueSetVersion) or whole (POST valueSet); the code by code+system
 * (+systemVersion, +display), coding or codeableConcept; a version of the
 * code's system (systemVersion, Coding.version) is the one it is checked in,
 * result = false when Socle does not hold it. Membership follows
 * the value set's definition without expanding it (value-set-membership.ts).
 * A code of a code system Socle does not hold, where the definition needs
 * it, is result = false with a message saying it could not be checked: the
 * question was answerable in form, only not here.
 */
import { fail } from '../../core/errors.js';
import type { Language } from '../../core/i18n/translate.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import { valueSetLabel } from './expand-value-set.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { targetValueSet, terminologySource } from './operation-target.js';
import type { Coding, ValueSetResource } from './types.js';
import { codedValue, invalid, validationResponse, verdictOnMember, type Verdict } from './validate-code.js';
import { ValueSetMembership } from './value-set-membership.js';

const OPERATION = '$validate-code';

async function verdictOn(
  membership: ValueSetMembership, valueSet: ValueSetResource, coding: Coding, abstractAllowed: boolean, language: Language,
): Promise<Verdict> {
  const code = coding.code as string;
  if (coding.system === undefined) return invalid('terminology.validate.no-system', { code }, language);
  const found = await membership.check(valueSet, coding.system, code, coding.version);
  switch (found.kind) {
    case 'member': return verdictOnMember(found.entry, coding, abstractAllowed, language);
    case 'unknown-system': return invalid('terminology.validate.system-unknown', { system: found.system, code }, language);
    case 'absent': return invalid('terminology.validate.not-in-value-set', { system: coding.system, code, url: valueSetLabel(valueSet) }, language);
  }
}

export function valueSetValidateCodeOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    for (const name of ['context', 'date']) {
      if (input.has(name)) throw fail('operation.parameter-unsupported', { operation: OPERATION, name });
    }
    const codings = codedValue(input, 'system', 'systemVersion');
    const source = terminologySource(hl7, context);
    const valueSet = await targetValueSet(context, input, source);
    const displayLanguage = input.string('displayLanguage');
    const membership = new ValueSetMembership(source, { includeDesignations: true, ...(displayLanguage !== undefined ? { displayLanguage } : {}) });
    const abstractAllowed = input.boolean('abstract') !== false;
    const verdicts: Verdict[] = [];
    for (const coding of codings) verdicts.push(await verdictOn(membership, valueSet, coding, abstractAllowed, context.request.language));
    return validationResponse(verdicts);
  }
  return {
    name: 'validate-code',
    definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code',
    types: ['ValueSet'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
