import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIssue, assertValid, observation, patient, validate, weight } from './test-fixtures.js';

describe('resourceType', () => {
  test('a realistic Patient and Observation are valid', () => {
    assertValid(patient());
    assertValid(observation());
    assertValid(weight());
  });

  test('a body without resourceType is rejected as structure', () => {
    const resource = patient();
    delete resource.resourceType;
    const issue = assertIssue(resource, { message: 'validation.resource-type', type: 'structure', expression: 'Resource' });
    assert.equal(issue.severity, 'error');
  });

  test('a resourceType that is not a string is rejected', () => {
    assertIssue({ ...patient(), resourceType: 42 }, { message: 'validation.resource-type', type: 'structure', expression: 'Resource' });
  });

  test('an unknown or abstract resourceType is type.unknown', () => {
    assertIssue({ resourceType: 'Patientt' }, { message: 'type.unknown', type: 'structure', expression: 'Patientt' });
    assertIssue({ resourceType: 'DomainResource' }, { message: 'type.unknown', type: 'structure', expression: 'DomainResource' });
  });

  test('a resourceType other than the expected one is an error', () => {
    const result = validate(patient(), 'Observation');
    assert.equal(result.valid, false);
    assert.deepEqual(result.issues.map((i) => [i.message, i.params]), [['type.mismatch', { actual: 'Patient', expected: 'Observation' }]]);
    assert.equal(validate(patient(), 'Patient').valid, true);
  });

  test('a JSON value that is not an object is not a resource', () => {
    for (const body of [null, 'Patient', 12, [patient()], true]) {
      const result = validate(body, 'Patient');
      assert.equal(result.valid, false);
      assert.deepEqual(result.issues[0]?.expression, ['Patient']);
    }
  });
});

describe('elements', () => {
  test('an unknown element is an error naming it', () => {
    const issue = assertIssue({ ...patient(), favouriteColour: 'blue' }, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.favouriteColour' });
    assert.deepEqual(issue.params, { name: 'favouriteColour' });
  });

  test('unknown elements are found in datatypes and backbone elements', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', nickname: 'Jeannot' }];
    resource.contact = [{ name: { family: 'Martin' }, mood: 'happy' }];
    assertIssue(resource, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.name[0].nickname' });
    assertIssue(resource, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.contact[0].mood' });
  });

  test('resourceType is only allowed on resources', () => {
    const resource = patient();
    resource.name = [{ resourceType: 'HumanName', family: 'Dupont' }];
    assertIssue(resource, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.name[0].resourceType' });
  });

  test('elements Medplum added to the R4 package are not FHIR R4 (Meta.project)', () => {
    assertIssue({ ...patient(), meta: { project: 'x' } }, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.meta.project' });
  });

  test('a choice element is written with its type name: valueQuantity, effectiveDateTime', () => {
    assertIssue({ ...weight(), value: { value: 1 } }, { message: 'validation.unknown-element', type: 'structure', expression: 'Observation.value' });
    assertIssue({ ...weight(), valueDate: '2020-01-01' }, { message: 'validation.unknown-element', type: 'structure', expression: 'Observation.valueDate' });
  });

  test('only one type of a choice element may be present', () => {
    const resource = { ...weight(), valueString: '72.5 kg' };
    const issue = assertIssue(resource, { message: 'validation.choice-multiple', type: 'structure', expression: 'Observation.valueString' });
    assert.deepEqual(issue.params, { name: 'value', found: 'valueQuantity, valueString' });
  });

  test('a choice given only as a primitive extension still counts as one of the types', () => {
    const resource = { ...patient(), deceasedBoolean: false, _deceasedDateTime: { extension: [{ url: 'http://example.org/x', valueString: 'unknown' }] } };
    assertIssue(resource, { message: 'validation.choice-multiple', type: 'structure', expression: 'Patient._deceasedDateTime' });
  });
});

describe('JSON types', () => {
  test('a boolean given as the string "true" is a wrong type', () => {
    const issue = assertIssue({ ...patient(), active: 'true' }, { message: 'validation.type', type: 'structure', expression: 'Patient.active' });
    assert.deepEqual(issue.params, { expected: 'boolean', actual: 'string' });
  });

  test('a number given as a string is a wrong type', () => {
    const resource = weight();
    resource.valueQuantity = { value: '72.5', unit: 'kg' };
    assertIssue(resource, { message: 'validation.type', type: 'structure', expression: 'Observation.valueQuantity.value' });
  });

  test('a complex element given as a string is a wrong type', () => {
    const issue = assertIssue({ ...weight(), code: 'weight' }, { message: 'validation.type', type: 'structure', expression: 'Observation.code' });
    assert.deepEqual(issue.params, { expected: 'CodeableConcept', actual: 'string' });
  });

  test('a repeating element must be an array, even with one value', () => {
    const resource = patient();
    resource.name = { family: 'Dupont' };
    assertIssue(resource, { message: 'validation.not-array', type: 'structure', expression: 'Patient.name' });
    const given = patient();
    given.name = [{ family: 'Dupont', given: 'Jean' }];
    assertIssue(given, { message: 'validation.not-array', type: 'structure', expression: 'Patient.name[0].given' });
  });

  test('a single-valued element must not be an array', () => {
    assertIssue({ ...weight(), code: [{ text: 'weight' }] }, { message: 'validation.array-not-allowed', type: 'structure', expression: 'Observation.code' });
    assertIssue({ ...patient(), gender: ['male'] }, { message: 'validation.array-not-allowed', type: 'structure', expression: 'Patient.gender' });
  });

  test('null is not allowed as a value', () => {
    assertIssue({ ...patient(), gender: null }, { message: 'validation.null', type: 'structure', expression: 'Patient.gender' });
    assertIssue({ ...patient(), maritalStatus: null }, { message: 'validation.null', type: 'structure', expression: 'Patient.maritalStatus' });
    assertIssue({ ...patient(), name: [null] }, { message: 'validation.null', type: 'structure', expression: 'Patient.name[0]' });
  });

  test('empty objects, arrays and strings are not allowed (ele-1)', () => {
    assertIssue({ ...patient(), maritalStatus: {} }, { message: 'validation.empty', type: 'structure', expression: 'Patient.maritalStatus' });
    assertIssue({ ...patient(), name: [] }, { message: 'validation.empty', type: 'structure', expression: 'Patient.name' });
    assertIssue({ ...patient(), birthDate: '' }, { message: 'validation.empty', type: 'structure', expression: 'Patient.birthDate' });
    assertIssue({ ...patient(), name: [{ family: 'Dupont', given: [] }] }, { message: 'validation.empty', type: 'structure', expression: 'Patient.name[0].given' });
  });

  test('an element with only an id has no content (ele-1)', () => {
    assertIssue({ ...patient(), maritalStatus: { id: 'm' } }, { message: 'validation.empty', type: 'structure', expression: 'Patient.maritalStatus' });
  });
});
