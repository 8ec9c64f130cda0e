/**
 * Realistic resources shared by the validation tests. Each call returns a
 * fresh copy, so a test may alter it freely.
 */
import assert from 'node:assert/strict';
import type { Issue } from '../../core/errors.js';
import { r4Schema } from '../definitions/schema.js';
import { validateResource, type ValidationResult } from './index.js';

export type Json = Record<string, unknown>;

export function patient(): Json {
  return {
    resourceType: 'Patient',
    id: 'p1',
    identifier: [{ use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1234567890123' }],
    active: true,
    name: [{ use: 'official', family: 'Dupont', given: ['Jean', 'Marie'] }],
    telecom: [{ system: 'phone', value: '+33102030405', use: 'home' }],
    gender: 'male',
    birthDate: '1970-01-01',
    address: [{ use: 'home', line: ['1 rue de la Paix'], city: 'Paris', postalCode: '75001', country: 'FR' }],
  };
}

export function observation(): Json {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T10:00:00+01:00',
    component: [
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
        valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] },
        valueQuantity: { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
    ],
  };
}

export function weight(): Json {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: 'Patient/p1' },
    valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  };
}

export function transaction(): Json {
  const newPatient = patient();
  delete newPatient.id;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:2f6d6c1a-8a3e-4a57-9c55-0c1f4c1e2a01',
        resource: newPatient,
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: 'urn:uuid:2f6d6c1a-8a3e-4a57-9c55-0c1f4c1e2a02',
        resource: { ...weight(), subject: { reference: 'urn:uuid:2f6d6c1a-8a3e-4a57-9c55-0c1f4c1e2a01' } },
        request: { method: 'POST', url: 'Observation' },
      },
      {
        fullUrl: 'urn:uuid:2f6d6c1a-8a3e-4a57-9c55-0c1f4c1e2a03',
        resource: observation(),
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
}

export function questionnaire(): Json {
  return {
    resourceType: 'Questionnaire',
    url: 'http://example.org/Questionnaire/phq-2',
    name: 'PHQ2',
    status: 'active',
    item: [
      {
        linkId: '1',
        text: 'Over the last two weeks',
        type: 'group',
        item: [
          { linkId: '1.1', text: 'Little interest or pleasure in doing things', type: 'choice', answerValueSet: 'http://loinc.org/vs/LL358-3' },
          {
            linkId: '1.2',
            text: 'Feeling down, depressed, or hopeless',
            type: 'group',
            item: [{ linkId: '1.2.1', text: 'Since when?', type: 'date' }],
          },
        ],
      },
    ],
  };
}

/** A MedicationRequest with its Medication contained and referenced. */
export function withContained(): Json {
  return {
    resourceType: 'MedicationRequest',
    contained: [
      {
        resourceType: 'Medication',
        id: 'med1',
        code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'N02BE01', display: 'paracetamol' }] },
      },
    ],
    status: 'active',
    intent: 'order',
    medicationReference: { reference: '#med1' },
    subject: { reference: 'Patient/p1' },
  };
}

export function validate(resource: unknown, expectedType?: string): ValidationResult {
  return validateResource(r4Schema(), resource, expectedType === undefined ? {} : { expectedType });
}

/** Asserts the resource is valid, showing the issues when it is not. */
export function assertValid(resource: unknown): void {
  const result = validate(resource);
  assert.deepEqual(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), []);
  assert.equal(result.valid, true);
}

/** The one error the resource has, checked for message, type and location. */
export function assertIssue(resource: unknown, expected: { message: string; type: string; expression: string }): Issue {
  const result = validate(resource);
  assert.equal(result.valid, false);
  const found = result.issues.find((i) => i.message === expected.message && i.expression?.[0] === expected.expression);
  assert.ok(found, `no ${expected.message} at ${expected.expression} in ${JSON.stringify(result.issues)}`);
  assert.equal(found.type, expected.type);
  return found;
}
