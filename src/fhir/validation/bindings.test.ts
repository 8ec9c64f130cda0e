import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../definitions/schema.js';
import { bindingViolation, requiredBindings } from './bindings.js';
import { assertIssue, assertValid, observation, patient, validate, weight } from './test-fixtures.js';

describe('required bindings (terminologies.html#required)', () => {
  test('gender "unknown-code" is not in administrative-gender', () => {
    const issue = assertIssue({ ...patient(), gender: 'unknown-code' }, { message: 'validation.binding', type: 'code-invalid', expression: 'Patient.gender' });
    assert.deepEqual(issue.params, { code: 'unknown-code', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' });
    for (const gender of ['male', 'female', 'other', 'unknown']) assertValid({ ...patient(), gender });
  });

  test('codes of datatypes are bound wherever the datatype occurs: ContactPoint.system, HumanName.use', () => {
    const resource = patient();
    resource.telecom = [{ system: 'fax-machine', value: '0102030405' }];
    resource.name = [{ use: 'nickname', family: 'Dupont' }, { use: 'pseudonym', family: 'X' }];
    assertIssue(resource, { message: 'validation.binding', type: 'code-invalid', expression: 'Patient.telecom[0].system' });
    assertIssue(resource, { message: 'validation.binding', type: 'code-invalid', expression: 'Patient.name[1].use' });
    assert.equal(validate(resource).issues.some((i) => i.expression?.[0] === 'Patient.name[0].use'), false);
  });

  test('Observation.status is bound and checked inside Bundle entries too', () => {
    assertIssue({ ...weight(), status: 'done' }, { message: 'validation.binding', type: 'code-invalid', expression: 'Observation.status' });
  });

  test('a CodeableConcept with a required binding needs one coding of the value set', () => {
    const set = requiredBindings(r4Schema()).codeSet('http://hl7.org/fhir/ValueSet/allergyintolerance-clinical');
    assert.ok(set);
    const system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
    assert.equal(bindingViolation(set, 'CodeableConcept', { coding: [{ system, code: 'active' }] }), undefined);
    assert.equal(bindingViolation(set, 'CodeableConcept', { coding: [{ system: 'http://snomed.info/sct', code: '55561003' }, { system, code: 'active' }] }), undefined);
    assert.equal(bindingViolation(set, 'CodeableConcept', { coding: [{ system, code: 'dormant' }] }), `${system}|dormant`);
    assert.equal(bindingViolation(set, 'CodeableConcept', { coding: [{ system: 'http://example.org', code: 'active' }] }), 'http://example.org|active');
    assert.equal(bindingViolation(set, 'CodeableConcept', { text: 'active' }), 'active');
  });

  test('AllergyIntolerance.clinicalStatus with text only breaks its required binding', () => {
    const allergy = {
      resourceType: 'AllergyIntolerance',
      patient: { reference: 'Patient/p1' },
      clinicalStatus: { text: 'active' },
    };
    assertIssue(allergy, { message: 'validation.binding', type: 'code-invalid', expression: 'AllergyIntolerance.clinicalStatus' });
    allergy.clinicalStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] } as never;
    assertValid(allergy);
  });

  test('Coding and Quantity bindings check system and code', () => {
    const set = requiredBindings(r4Schema()).codeSet('http://hl7.org/fhir/ValueSet/administrative-gender');
    assert.ok(set);
    const system = 'http://hl7.org/fhir/administrative-gender';
    assert.equal(bindingViolation(set, 'Coding', { system, code: 'male' }), undefined);
    assert.equal(bindingViolation(set, 'Coding', { system: 'http://example.org', code: 'male' }), 'http://example.org|male');
    assert.equal(bindingViolation(set, 'Coding', { code: 'male' }), '|male');
    assert.equal(bindingViolation(set, 'Quantity', { value: 1, code: 'male' }), undefined);
    assert.equal(bindingViolation(set, 'Quantity', { value: 1, system, code: 'x' }), 'x');
    assert.equal(bindingViolation(set, 'uri', 'female'), undefined);
    assert.equal(bindingViolation(set, 'string', 'F'), 'F');
  });

  test('value sets that could not be expanded offline are not enforced', () => {
    const bindings = requiredBindings(r4Schema());
    assert.equal(bindings.codeSet('http://hl7.org/fhir/ValueSet/mimetypes'), undefined);
    const resource = { ...patient(), photo: [{ contentType: 'image/x-anything', url: 'http://example.org/photo' }] };
    assertValid(resource);
  });

  test('code sets are built once per value set', () => {
    const bindings = requiredBindings(r4Schema());
    assert.equal(bindings.codeSet('http://hl7.org/fhir/ValueSet/observation-status'), bindings.codeSet('http://hl7.org/fhir/ValueSet/observation-status'));
    assertValid(observation());
  });
});
