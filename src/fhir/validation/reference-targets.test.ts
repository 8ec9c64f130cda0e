import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIssue, assertValid, weight } from './test-fixtures.js';

describe('reference targets (ElementDefinition.type.targetProfile)', () => {
  test('a literal reference must name a type the element allows', () => {
    assertValid({ ...weight(), subject: { reference: 'Patient/p1' } });
    assertValid({ ...weight(), subject: { reference: 'https://example.org/fhir/Group/g1/_history/2' } });
    const organization = assertIssue({ ...weight(), subject: { reference: 'Organization/o1' } }, { message: 'validation.reference-target', type: 'invalid', expression: 'Observation.subject.reference' });
    assert.equal(organization.params?.type, 'Organization');
    assertIssue({ ...weight(), subject: { reference: 'http://example.org/fhir/Medication/m1' } }, { message: 'validation.reference-target', type: 'invalid', expression: 'Observation.subject.reference' });
    assertIssue({ ...weight(), subject: { type: 'Organization', identifier: { system: 'urn:x', value: '1' } } }, { message: 'validation.reference-target', type: 'invalid', expression: 'Observation.subject.type' });
  });

  test('references the server cannot type are left to their resolution: contained, URNs, conditional, unknown types, Resource targets', () => {
    assertValid({ ...weight(), subject: { reference: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' } });
    assertValid({ ...weight(), subject: { reference: 'Patient?identifier=urn:x|1' } });
    assertValid({ ...weight(), subject: { reference: 'https://example.org/fhir/Unicorn/u1' } });
    assertValid({ ...weight(), focus: [{ reference: 'Organization/o1' }] });
  });
});
