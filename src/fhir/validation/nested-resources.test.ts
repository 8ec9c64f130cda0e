import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../definitions/schema.js';
import { validateResource } from './validator.js';
import { assertIssue, assertValid, patient, transaction, validate, withContained, type Json } from './test-fixtures.js';

function entries(bundle: Json): { resource: Json }[] {
  return bundle.entry as { resource: Json }[];
}

describe('resources inside resources', () => {
  test('a transaction Bundle with Patient and Observations is valid', () => {
    assertValid(transaction());
  });

  test('an entry resource is validated by its own resourceType and located in the Bundle', () => {
    const bundle = transaction();
    const third = entries(bundle)[2];
    assert.ok(third);
    third.resource = { ...patient(), birthDate: '1970-02-30' };
    assertIssue(bundle, { message: 'validation.format', type: 'value', expression: 'Bundle.entry[2].resource.birthDate' });
  });

  test('an entry resource without resourceType, or of an unknown type, is an error', () => {
    const bundle = transaction();
    const [first, second] = entries(bundle);
    assert.ok(first && second);
    delete first.resource.resourceType;
    second.resource = { resourceType: 'Patiente' };
    assertIssue(bundle, { message: 'validation.resource-type', type: 'structure', expression: 'Bundle.entry[0].resource' });
    assertIssue(bundle, { message: 'type.unknown', type: 'structure', expression: 'Bundle.entry[1].resource' });
  });

  test('a transaction entry without request breaks bdl-3', () => {
    const bundle = transaction();
    const first = entries(bundle)[0] as Json;
    delete first.request;
    const issue = assertIssue(bundle, { message: 'validation.invariant', type: 'invariant', expression: 'Bundle' });
    assert.equal(issue.params?.key, 'bdl-3');
  });

  test('with skipEntryResources, only the envelope is checked: entry resources are left to their own interactions', () => {
    const bundle = transaction();
    const [first, second] = entries(bundle);
    assert.ok(first && second);
    first.resource = { ...patient(), birthDate: '1970-02-30' };
    delete (second as Json).request;
    const issues = validateResource(r4Schema(), bundle, { expectedType: 'Bundle', skipEntryResources: true }).issues;
    assert.deepEqual(issues.filter((i) => i.expression?.some((e) => e.startsWith('Bundle.entry[0].resource'))), []);
    assert.ok(issues.some((i) => i.params?.key === 'bdl-3'), "the Bundle's own invariants still hold");
  });

  test('Parameters.parameter.resource is validated as a resource', () => {
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'patient', resource: { ...patient(), gender: 'M' } }] };
    assertIssue(parameters, { message: 'validation.binding', type: 'code-invalid', expression: 'Parameters.parameter[0].resource.gender' });
  });
});

describe('contained resources (references.html#contained)', () => {
  test('a contained resource referenced as #id is valid', () => {
    assertValid(withContained());
  });

  test('contained resources are validated and located by index', () => {
    const resource = withContained();
    resource.contained = [{ resourceType: 'Patient', id: 'pat', gender: 'X' }];
    resource.subject = { reference: '#pat' };
    resource.medicationCodeableConcept = { text: 'paracetamol' };
    delete resource.medicationReference;
    assertIssue(resource, { message: 'validation.binding', type: 'code-invalid', expression: 'MedicationRequest.contained[0].gender' });
  });

  test('an unreferenced contained resource breaks dom-3', () => {
    const resource = withContained();
    resource.medicationCodeableConcept = { text: 'paracetamol' };
    delete resource.medicationReference;
    const issue = assertIssue(resource, { message: 'validation.invariant', type: 'invariant', expression: 'MedicationRequest.contained[0]' });
    assert.equal(issue.params?.key, 'dom-3');
  });

  test('a contained resource referenced from another contained resource, or referring to its container with "#", satisfies dom-3', () => {
    const resource = withContained();
    (resource.contained as Json[]).push(
      { resourceType: 'Organization', id: 'org', name: 'Laboratoire' },
      { resourceType: 'Provenance', id: 'prov', target: [{ reference: '#' }], recorded: '2024-01-01T00:00:00Z', agent: [{ who: { reference: '#org' } }] },
    );
    assertValid(resource);
  });

  test('a contained resource referring only to itself is still unreferenced', () => {
    const resource = { ...patient(), contained: [{ resourceType: 'Organization', id: 'org', name: 'X', partOf: { reference: '#org' } }] };
    assertIssue(resource, { message: 'validation.invariant', type: 'invariant', expression: 'Patient.contained[0]' });
  });

  test('a contained resource must have an id', () => {
    const resource = withContained();
    const contained = resource.contained as Json[];
    delete contained[0]?.id;
    assertIssue(resource, { message: 'validation.min', type: 'required', expression: 'MedicationRequest.contained[0].id' });
  });

  test('a contained resource cannot contain resources (dom-2)', () => {
    const resource = withContained();
    const medication = (resource.contained as Json[])[0] as Json;
    medication.contained = [{ resourceType: 'Substance', id: 's', code: { text: 'x' } }];
    medication.ingredient = [{ itemReference: { reference: '#s' } }];
    assertIssue(resource, { message: 'validation.contained-nested', type: 'invariant', expression: 'MedicationRequest.contained[0]' });
  });

  test('a contained resource has no meta.versionId, meta.lastUpdated (dom-4) or meta.security (dom-5)', () => {
    const resource = withContained();
    const medication = (resource.contained as Json[])[0] as Json;
    medication.meta = { versionId: '2', security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] };
    const keys = validate(resource).issues.filter((i) => i.message === 'validation.invariant').map((i) => i.params?.key);
    assert.deepEqual(keys, ['dom-4', 'dom-5']);
  });

  test('a local reference to a missing contained resource breaks ref-1, evaluated with %rootResource', () => {
    const resource = withContained();
    resource.medicationReference = { reference: '#nothing' };
    resource.supportingInformation = [{ reference: '#med1' }];
    const issue = assertIssue(resource, { message: 'validation.invariant', type: 'invariant', expression: 'MedicationRequest.medicationReference' });
    assert.equal(issue.params?.key, 'ref-1');
  });

  test('references inside contained resources resolve against the container (%rootResource)', () => {
    const resource = withContained();
    (resource.contained as Json[]).push({ resourceType: 'Organization', id: 'org', name: 'Fabricant' });
    const medication = (resource.contained as Json[])[0] as Json;
    medication.manufacturer = { reference: '#org' };
    assertValid(resource);
  });
});
