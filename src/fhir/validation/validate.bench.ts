/**
 * Validation throughput: `npx tsx src/fhir/validation/validate.bench.ts`.
 * The budget is ~10,000 Patient creations per second on one core, so
 * validating a typical Patient must stay well under 20 µs.
 */
import { r4Schema } from '../definitions/schema.js';
import { validateResource } from './index.js';

const patient = {
  resourceType: 'Patient',
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1234567890123' }],
  active: true,
  name: [{ use: 'official', family: 'Dupont', given: ['Jean', 'Marie'] }],
  telecom: [
    { system: 'phone', value: '+33102030405', use: 'home' },
    { system: 'email', value: 'jean.dupont@example.fr' },
  ],
  gender: 'male',
  birthDate: '1970-01-01',
  address: [{ use: 'home', line: ['1 rue de la Paix'], city: 'Paris', postalCode: '75001', country: 'FR' }],
};

/** txt-1/txt-2 (htmlChecks()) are the one invariant of a typical Patient that needs fhirpath.js. */
const patientWithNarrative = {
  ...patient,
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Jean Dupont</b>, né le 1er janvier 1970</p></div>' },
};

const observation = {
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
  subject: { reference: 'Patient/123' },
  effectiveDateTime: '2024-03-01T10:00:00+01:00',
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
};

const bundle = {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: Array.from({ length: 100 }, (_, i) => ({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resource: patient,
    request: { method: 'POST', url: 'Patient' },
  })),
};

function microsecondsPer(resource: unknown, iterations: number): number {
  const schema = r4Schema();
  for (let i = 0; i < Math.min(iterations, 2000); i++) validateResource(schema, resource);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    if (!validateResource(schema, resource).valid) throw new Error('benchmark resource is invalid');
  }
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

const perPatient = microsecondsPer(patient, 200_000);
const perNarrative = microsecondsPer(patientWithNarrative, 100_000);
const perObservation = microsecondsPer(observation, 200_000);
const perBundle = microsecondsPer(bundle, 2_000);
console.log(`Patient:                ${perPatient.toFixed(2)} µs (${Math.round(1e6 / perPatient)} per second)`);
console.log(`Patient with narrative: ${perNarrative.toFixed(2)} µs (${Math.round(1e6 / perNarrative)} per second)`);
console.log(`Observation:            ${perObservation.toFixed(2)} µs (${Math.round(1e6 / perObservation)} per second)`);
console.log(`Bundle of 100 Patients: ${perBundle.toFixed(1)} µs (${(perBundle / 100).toFixed(2)} µs per entry)`);
