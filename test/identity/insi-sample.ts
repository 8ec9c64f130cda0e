/** The INSi reference sample (test/data/insi/reference.ndjson) and Parameters builders for the INSi tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLE_FILE = fileURLToPath(new URL('../data/insi/reference.ndjson', import.meta.url));

/** The sample's Patients, in file order. */
export function samplePatients(): Record<string, any>[] {
  return readFileSync(SAMPLE_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);
}

export interface Traits {
  family?: string;
  given?: string[];
  gender?: string;
  birthdate?: string;
  birthplace?: string;
}

/** A Parameters resource of traits (and an INS for $ins-verify), each in its declared value type. */
export function traitParameters(traits: Traits, ins?: string): Record<string, unknown> {
  const parameter: Record<string, unknown>[] = [];
  if (ins !== undefined) parameter.push({ name: 'ins', valueString: ins });
  if (traits.family !== undefined) parameter.push({ name: 'family', valueString: traits.family });
  for (const given of traits.given ?? []) parameter.push({ name: 'given', valueString: given });
  if (traits.gender !== undefined) parameter.push({ name: 'gender', valueCode: traits.gender });
  if (traits.birthdate !== undefined) parameter.push({ name: 'birthdate', valueDate: traits.birthdate });
  if (traits.birthplace !== undefined) parameter.push({ name: 'birthplace', valueCode: traits.birthplace });
  return { resourceType: 'Parameters', parameter };
}

/** The values of the answer's parameters called `name`. */
export function valuesOf(parameters: { parameter?: Record<string, any>[] }, name: string): any[] {
  return (parameters.parameter ?? []).filter((p) => p.name === name).map((p) => p.valueCode ?? p.valueBoolean ?? p.resource ?? p.valueString);
}

export const DUPONT_MARIE_LOUISE = { family: 'Dupont', given: ['Marie'], gender: 'female', birthdate: '1985-03-14', birthplace: '35238' };
