import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIssue, assertValid, observation, patient, questionnaire, validate, weight } from './test-fixtures.js';

describe('cardinality (elementdefinition.html#interpretation)', () => {
  test('an Observation without status and code misses two required elements', () => {
    const resource = weight();
    delete resource.status;
    delete resource.code;
    const result = validate(resource);
    assert.equal(result.valid, false);
    const missing = result.issues.filter((i) => i.message === 'validation.min');
    assert.deepEqual(missing.map((i) => [i.type, i.expression?.[0], i.params?.name]), [
      ['required', 'Observation.status', 'status'],
      ['required', 'Observation.code', 'code'],
    ]);
  });

  test('required elements of backbone elements are checked: component.code', () => {
    const resource = observation();
    resource.component = [{ valueQuantity: { value: 120 } }];
    assertIssue(resource, { message: 'validation.min', type: 'required', expression: 'Observation.component[0].code' });
  });

  test('a required choice element is satisfied by any of its types', () => {
    const extension = { url: 'http://example.org/x', valueString: 'x' };
    assertValid({ ...patient(), extension: [extension] });
    assertIssue({ ...patient(), extension: [{ valueString: 'x' }] }, { message: 'validation.min', type: 'required', expression: 'Patient.extension[0].url' });
  });

  test('a required primitive given only as an extension is present', () => {
    const resource = weight();
    delete resource.status;
    resource._status = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    assertValid(resource);
  });

  test('two values for Patient.birthDate exceed its maximum of one', () => {
    const resource = { ...patient(), birthDate: ['1970-01-01', '1971-01-01'] };
    const issue = assertIssue(resource, { message: 'validation.max', type: 'invalid', expression: 'Patient.birthDate' });
    assert.deepEqual(issue.params, { name: 'birthDate', count: 2, max: 1 });
    assertIssue(resource, { message: 'validation.array-not-allowed', type: 'structure', expression: 'Patient.birthDate' });
  });

  test('a complex element with max 1 given as an array of two exceeds its maximum', () => {
    const resource = { ...weight(), code: [{ text: 'a' }, { text: 'b' }] };
    assertIssue(resource, { message: 'validation.max', type: 'invalid', expression: 'Observation.code' });
  });

  test('unbounded elements take any number of values', () => {
    const resource = patient();
    resource.name = Array.from({ length: 20 }, (_, i) => ({ family: `Nom${i}` }));
    assertValid(resource);
  });

  test('Questionnaire.item.item, a contentReference, is validated as Questionnaire.item at any depth', () => {
    assertValid(questionnaire());
    const resource = questionnaire();
    const items = resource.item as { item: { item?: Record<string, unknown>[] }[] }[];
    const nested = items[0]?.item[1]?.item?.[0];
    assert.ok(nested);
    delete nested.linkId;
    nested.colour = 'red';
    assertIssue(resource, { message: 'validation.min', type: 'required', expression: 'Questionnaire.item[0].item[1].item[0].linkId' });
    assertIssue(resource, { message: 'validation.unknown-element', type: 'structure', expression: 'Questionnaire.item[0].item[1].item[0].colour' });
  });
});
