/**
 * Micro-benchmark of search index extraction: µs per typical Patient and per
 * Observation, next to a bare reference (JSON.parse of the same resource) and
 * to the fhirpath package evaluating the same expressions.
 * Run with: npx tsx src/fhir/indexing/index.bench.ts
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { r4Schema } from '../definitions/schema.js';
import { ResourceIndexer } from './resource-indexer.js';

const ROUNDS = 5;
const ITERATIONS = 20_000;

function patient(i: number): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: `p${i}`,
    meta: { versionId: '1', lastUpdated: '2024-05-01T10:00:00.000Z' },
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: `${1_800_000_000_000 + i}` }],
    active: true,
    name: [{ use: 'official', family: i % 2 ? 'Dupont' : 'Lefèvre', given: ['Hélène', 'Marie'] }],
    telecom: [{ system: 'phone', value: '+33 6 12 34 56 78', use: 'mobile' }, { system: 'email', value: `p${i}@example.fr` }],
    gender: i % 2 ? 'female' : 'male',
    birthDate: '1980-02-29',
    address: [{ use: 'home', line: ['12 rue de la Paix'], city: 'Paris', postalCode: '75002', country: 'FR' }],
  };
}

function observation(i: number): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: `o${i}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
    subject: { reference: `Patient/p${i}` },
    effectiveDateTime: '2024-05-01T09:30:00+02:00',
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120 + (i % 10), unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    ],
  };
}

function measure(label: string, make: (i: number) => Record<string, unknown>, run: (resource: Record<string, unknown>) => unknown, iterations = ITERATIONS): number {
  const resources = Array.from({ length: 1000 }, (_, i) => make(i));
  for (let i = 0; i < 2000; i++) run(resources[i % 1000] as Record<string, unknown>);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run(resources[i % 1000] as Record<string, unknown>);
    const micros = Number(process.hrtime.bigint() - start) / 1000 / iterations;
    best = Math.min(best, micros);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(2).padStart(8)} µs`);
  return best;
}

const schema = r4Schema();
const indexer = new ResourceIndexer(schema, { baseUrl: 'http://127.0.0.1:8080/fhir' });

/** The same expressions through the fhirpath package, to show what the compiler saves. */
function fhirpathAll(resourceType: string): (resource: Record<string, unknown>) => unknown {
  const evaluators = indexer.plansFor(resourceType)
    .filter((plan) => !plan.definition.expression?.includes('resolve()'))
    .map((plan) => fhirpath.compile(plan.definition.expression ?? '', r4Model));
  return (resource) => evaluators.map((evaluate) => evaluate(resource));
}

console.log(`search index extraction, best of ${ROUNDS} rounds of ${ITERATIONS}`);
measure('bare reference: JSON.parse(JSON.stringify(Patient))', patient, (r) => JSON.parse(JSON.stringify(r)));
measure('ResourceIndexer.index(Patient)', patient, (r) => indexer.index(r));
measure('ResourceIndexer.index(Observation)', observation, (r) => indexer.index(r));
measure('fhirpath package, Patient expressions only', patient, fhirpathAll('Patient'), 2000);
measure('fhirpath package, Observation expressions only', observation, fhirpathAll('Observation'), 2000);
