/**
 * Terminology for the unit tests: a small French code system with a
 * hierarchy written both ways R4 allows (nested concepts, a parent
 * property), an abstract grouping, an inactive concept and designations, and
 * a TerminologySource that serves given resources as if stored.
 */
import { Hl7Terminology } from './hl7-terminology.js';
import { TerminologySource } from './terminology-source.js';
import type { CodeSystemResource, TerminologyResource, ValueSetResource } from './types.js';

export const CARDIO = 'http://socle.example/CodeSystem/pathologies';

export const pathologies: CodeSystemResource = {
  resourceType: 'CodeSystem',
  url: CARDIO,
  version: '1',
  name: 'Pathologies',
  status: 'active',
  content: 'complete',
  caseSensitive: true,
  concept: [
    {
      code: 'CV', display: 'Maladies cardiovasculaires', property: [{ code: 'notSelectable', valueBoolean: true }],
      concept: [
        {
          code: 'HTA', display: 'Hypertension artérielle', definition: 'Pression artérielle durablement élevée.',
          designation: [{ language: 'en', value: 'High blood pressure' }],
          concept: [{ code: 'HTA-G', display: 'Hypertension gravidique' }, { code: 'HTA-M', display: 'Hypertension maligne' }],
        },
        { code: 'ICC', display: 'Insuffisance cardiaque', concept: [{ code: 'ICC-A', display: 'Insuffisance cardiaque aiguë' }] },
      ],
    },
    {
      code: 'RESP', display: 'Maladies respiratoires',
      concept: [
        { code: 'ASTH', display: 'Asthme' },
        { code: 'BPCO', display: 'Bronchopneumopathie chronique obstructive', property: [{ code: 'status', valueCode: 'retired' }] },
      ],
    },
    // Below HTA through the parent property rather than by nesting.
    { code: 'HTA-R', display: 'Hypertension rénovasculaire', property: [{ code: 'parent', valueCode: 'HTA' }] },
  ],
};

export function valueSet(url: string, compose: ValueSetResource['compose']): ValueSetResource {
  return { resourceType: 'ValueSet', url, status: 'active', compose };
}

/** Shared: HL7's files are read once for all the tests of a process. */
export const hl7 = new Hl7Terminology();

/** A source serving `resources` as the stored ones, HL7's after them. */
export function sourceWith(...resources: TerminologyResource[]): TerminologySource {
  return new TerminologySource(hl7, async (type, url, version) =>
    resources.find((r) => r.resourceType === type && r.url === url && (version === undefined || r.version === version)));
}
