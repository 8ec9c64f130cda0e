/**
 * CodeSystem/$validate-code (http://hl7.org/fhir/R4/codesystem-operation-validate-code.html):
 * is a code defined in a code system? The code system is the instance or the
 * one `url` names (an unknown one is a 404, as for $lookup: "The server must
 * know the code system"); the code is code (+version, +display), coding or
 * codeableConcept. A coding of another system is not in this one.
 * Inline code systems (codeSystem) are not accepted: store them first.
 */
import { fail } from '../../core/errors.js';
import type { Language } from '../../core/i18n/translate.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import type { CodeSystemIndex } from './code-system-index.js';
import { conceptEntry } from './expanded-code.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { targetCodeSystem, terminologySource } from './operation-target.js';
import type { Coding } from './types.js';
import { codedValue, invalid, validationResponse, verdictOnMember, type Verdict } from './validate-code.js';

const OPERATION = '$validate-code';

function verdictOn(index: CodeSystemIndex, coding: Coding, abstractAllowed: boolean, displayLanguage: string | undefined, language: Language): Verdict {
  const code = coding.code as string;
  if (coding.system !== undefined && coding.system !== index.url) {
    return invalid('terminology.system-mismatch', { operation: OPERATION, given: coding.system, expected: index.url }, language);
  }
  const concept = index.get(code);
  if (!concept) return invalid('terminology.code-unknown', { code, system: index.url }, language);
  const entry = conceptEntry(index, concept, { includeDesignations: true, ...(displayLanguage !== undefined ? { displayLanguage } : {}) });
  return verdictOnMember(entry, coding, abstractAllowed, language);
}

export function codeSystemValidateCodeOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    for (const name of ['codeSystem', 'date']) {
      if (input.has(name)) throw fail('operation.parameter-unsupported', { operation: OPERATION, name });
    }
    const codings = codedValue(input, undefined, 'version');
    const source = terminologySource(hl7, context);
    const url = input.string('url') ?? codings[0]?.system;
    const version = input.string('version') ?? codings[0]?.version;
    const index = await targetCodeSystem(context, source, url, version, input, 'url');
    const abstractAllowed = input.boolean('abstract') !== false;
    const displayLanguage = input.string('displayLanguage');
    return validationResponse(codings.map((coding) => verdictOn(index, coding, abstractAllowed, displayLanguage, context.request.language)));
  }
  return {
    name: 'validate-code',
    definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code',
    types: ['CodeSystem'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
