/**
 * FHIR terminology services (http://hl7.org/fhir/R4/terminology-service.html):
 * the operations the engine registers, and the codes behind the token search
 * modifiers. One Hl7Terminology is shared by all of them, so that HL7's
 * resources are read once, on first use.
 */
import type { FhirOperation } from '../rest/operations.js';
import { codeSystemValidateCodeOperation } from './code-system-validate-code-operation.js';
import { expandOperation } from './expand-operation.js';
import { Hl7Terminology } from './hl7-terminology.js';
import { lookupOperation } from './lookup-operation.js';
import { subsumesOperation } from './subsumes-operation.js';
import { translateOperation } from './translate-operation.js';
import { valueSetValidateCodeOperation } from './value-set-validate-code-operation.js';

export { Hl7Terminology } from './hl7-terminology.js';
export { searchTerminology } from './search-codes.js';
export { terminologyCapabilities } from './terminology-capabilities.js';
export { valueSetCodes } from './value-set-codes.js';

export function terminologyOperations(hl7: Hl7Terminology): FhirOperation[] {
  return [
    expandOperation(hl7),
    valueSetValidateCodeOperation(hl7),
    lookupOperation(hl7),
    codeSystemValidateCodeOperation(hl7),
    subsumesOperation(hl7),
    translateOperation(hl7),
  ];
}
