/**
 * Validation of resources against the base FHIR R4 definitions
 * (http://hl7.org/fhir/R4/validation.html), driven by the compiled model.
 */
export { validateResource, type ValidationOptions, type ValidationResult } from './validator.js';
export { invariantCoverage, unsupportedInvariants } from './invariants.js';
