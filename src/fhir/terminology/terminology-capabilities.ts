/**
 * GET /metadata?mode=terminology: the TerminologyCapabilities statement
 * (http://hl7.org/fhir/R4/capabilitystatement.html#mode,
 * http://hl7.org/fhir/R4/terminologycapabilities.html). It names the code
 * systems the operations know without a stored resource (HL7's R4 ones, with
 * their version) and what the operations of this folder support; the
 * CodeSystems stored in Socle are found by searching CodeSystem, as each
 * caller may read them, so they are not listed here.
 */
import type { Hl7Terminology } from './hl7-terminology.js';

/** The $expand inputs expand-operation.ts reads. */
const EXPANSION_PARAMETERS = [
  'url', 'valueSet', 'valueSetVersion', 'filter', 'offset', 'count', 'activeOnly', 'excludeNotForUI',
  'includeDesignations', 'includeDefinition', 'displayLanguage', 'excludeNested',
];

export interface TerminologyCapabilitiesContext {
  readonly baseUrl: string;
  readonly now: number;
  readonly softwareVersion: string;
}

export function terminologyCapabilities(hl7: Hl7Terminology, context: TerminologyCapabilitiesContext): Record<string, unknown> {
  const codeSystem = hl7.codeSystems()
    .filter((cs) => typeof cs.url === 'string')
    .map((cs) => ({
      uri: cs.url,
      ...(cs.version ? { version: [{ code: cs.version, isDefault: true }] } : {}),
      // $subsumes answers from the hierarchy of any code system it holds.
      subsumption: true,
    }))
    .sort((a, b) => String(a.uri).localeCompare(String(b.uri)));
  return {
    resourceType: 'TerminologyCapabilities',
    status: 'active',
    date: new Date(context.now).toISOString(),
    publisher: 'Socle',
    kind: 'instance',
    software: { name: 'Socle', version: context.softwareVersion },
    implementation: { description: 'Socle — services de terminologie FHIR R4 / FHIR R4 terminology services', url: context.baseUrl },
    lockedDate: false,
    codeSystem,
    expansion: {
      hierarchical: false,
      paging: true,
      incomplete: false,
      parameter: EXPANSION_PARAMETERS.map((name) => ({ name })),
      textFilter: 'Chaque mot du filtre commence un mot du libellé ou d’une désignation (sans tenir compte de la casse, des accents ni de la ponctuation), ou le filtre commence le code. / Every word of the filter begins a word of the display or of a designation (case, accents and punctuation aside), or the filter begins the code.',
    },
    // ValueSet?code= finds the codes a ValueSet lists in its compose or its stored expansion, not those of its filters.
    codeSearch: 'explicit',
    validateCode: { translations: false },
    translation: { needsMap: true },
  };
}
