import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIssue, assertValid, patient } from './test-fixtures.js';

describe('extensions (extensibility.html)', () => {
  test('an extension with a value of any allowed type is valid', () => {
    assertValid({
      ...patient(),
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Lyon', country: 'FR' } },
        { url: 'http://example.org/flag', valueBoolean: true },
        { url: 'http://example.org/score', valueDecimal: 0.5 },
        { url: 'http://example.org/when', valuePeriod: { start: '2020-01-01' } },
        { url: 'http://example.org/meta', valueMeta: { versionId: '1' } },
      ],
    });
  });

  test('an extension with nested extensions and no value is valid (complex extension)', () => {
    assertValid({
      ...patient(),
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality', extension: [{ url: 'code', valueCodeableConcept: { text: 'French' } }] }],
    });
  });

  test('an extension with both a value and nested extensions breaks ext-1', () => {
    const issue = assertIssue(
      { ...patient(), extension: [{ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }] },
      { message: 'validation.invariant', type: 'invariant', expression: 'Patient.extension[0]' },
    );
    assert.equal(issue.params?.key, 'ext-1');
  });

  test('an extension with neither value nor nested extensions breaks ext-1', () => {
    assertIssue({ ...patient(), extension: [{ url: 'http://example.org/x' }] }, { message: 'validation.invariant', type: 'invariant', expression: 'Patient.extension[0]' });
  });

  test('an extension without url misses a required element', () => {
    assertIssue({ ...patient(), extension: [{ valueString: 'a' }] }, { message: 'validation.min', type: 'required', expression: 'Patient.extension[0].url' });
  });

  test('an extension value of a type not allowed for extensions is unknown', () => {
    assertIssue({ ...patient(), extension: [{ url: 'http://example.org/x', valueNarrative: { status: 'generated', div: '<div>x</div>' } }] }, {
      message: 'validation.unknown-element', type: 'structure', expression: 'Patient.extension[0].valueNarrative',
    });
  });

  test('modifierExtension follows the same rules, in backbone elements too', () => {
    const resource = patient();
    resource.modifierExtension = [{ url: 'http://example.org/m', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }];
    resource.contact = [{ name: { family: 'Martin' }, modifierExtension: [{ valueBoolean: true }] }];
    assertIssue(resource, { message: 'validation.invariant', type: 'invariant', expression: 'Patient.modifierExtension[0]' });
    assertIssue(resource, { message: 'validation.min', type: 'required', expression: 'Patient.contact[0].modifierExtension[0].url' });
  });
});
