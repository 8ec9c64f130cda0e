import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIssue, assertValid, patient, validate } from './test-fixtures.js';

const absent = { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' };

describe('primitive extensions (json.html#primitive)', () => {
  test('_birthDate carries id and extensions beside the value', () => {
    assertValid({ ...patient(), _birthDate: { id: 'bd', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1970-01-01T08:30:00+01:00' }] } });
  });

  test('_birthDate without birthDate is an extension-only primitive, allowed', () => {
    const resource = patient();
    delete resource.birthDate;
    resource._birthDate = { extension: [absent] };
    assertValid(resource);
  });

  test('_given aligns with given, with null where one side has nothing', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean', null, 'Paul'], _given: [null, { extension: [absent] }, { id: 'g3' }] }];
    assertValid(resource);
  });

  test('_given may stand alone as an array of extensions', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', _given: [{ extension: [absent] }] }];
    assertValid(resource);
  });

  test('a position null in both arrays is an error at that index', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean', null], _given: [null, null] }];
    assertIssue(resource, { message: 'validation.null', type: 'structure', expression: 'Patient.name[0].given[1]' });
  });

  test('a null in given with no _given is an error', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean', null] }];
    assertIssue(resource, { message: 'validation.null', type: 'structure', expression: 'Patient.name[0].given[1]' });
  });

  test('_given longer than given leaves an orphan', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean'], _given: [null, { extension: [absent] }] }];
    assertIssue(resource, { message: 'validation.primitive-extension-orphan', type: 'structure', expression: 'Patient.name[0]._given[1]' });
  });

  test('_name for a non-primitive element is an error', () => {
    assertIssue({ ...patient(), _address: { extension: [absent] } }, { message: 'validation.primitive-extension-orphan', type: 'structure', expression: 'Patient._address' });
  });

  test('_x for an element that does not exist is unknown', () => {
    assertIssue({ ...patient(), _nickname: { extension: [absent] } }, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient._nickname' });
  });

  test('the extension object holds only id and extension, and they are validated', () => {
    assertIssue({ ...patient(), _birthDate: { value: 'x' } }, { message: 'validation.unknown-element', type: 'structure', expression: 'Patient.birthDate.value' });
    assertIssue({ ...patient(), _birthDate: { extension: [{ valueCode: 'masked' }] } }, { message: 'validation.min', type: 'required', expression: 'Patient.birthDate.extension[0].url' });
    assertIssue({ ...patient(), _birthDate: {} }, { message: 'validation.empty', type: 'structure', expression: 'Patient.birthDate' });
  });

  test('_birthDate as an array or _given as an object breaks the JSON shape', () => {
    assertIssue({ ...patient(), _birthDate: [{ extension: [absent] }] }, { message: 'validation.array-not-allowed', type: 'structure', expression: 'Patient._birthDate' });
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean'], _given: { extension: [absent] } }];
    assert.equal(validate(resource).issues.some((i) => i.message === 'validation.not-array' && i.expression?.[0] === 'Patient.name[0]._given'), true);
  });
});
