import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { r4Schema } from '../definitions/schema.js';
import { invariantCoverage, unsupportedInvariants, validateResource } from './index.js';
import { invariantEngine } from './invariants.js';
import {
  assertIssue, assertValid, observation, patient, questionnaire, transaction, validate, weight, withContained, type Json,
} from './test-fixtures.js';

function keysAt(resource: unknown, expression: string): unknown[] {
  return validate(resource).issues.filter((i) => i.type === 'invariant' && i.expression?.[0] === expression).map((i) => i.params?.key);
}

describe('invariants (conformance-rules.html#constraints)', () => {
  test('an Observation with both dataAbsentReason and valueQuantity breaks obs-6', () => {
    const resource = { ...weight(), dataAbsentReason: { text: 'masked' } };
    const issue = assertIssue(resource, { message: 'validation.invariant', type: 'invariant', expression: 'Observation' });
    assert.equal(issue.params?.key, 'obs-6');
    assert.equal(issue.params?.human, 'dataAbsentReason SHALL only be present if Observation.value[x] is not present');
    const absent = weight();
    delete absent.valueQuantity;
    absent.dataAbsentReason = { text: 'masked' };
    assertValid(absent);
  });

  test('que-7 as corrected after R4: enableWhen with operator exists takes a boolean answer, and only that', () => {
    const withCondition = (enableWhen: Json): Json => ({
      resourceType: 'Questionnaire', status: 'active',
      item: [{ linkId: '1', type: 'boolean', text: 'Fumeur ?' }, { linkId: '2', type: 'string', text: 'Depuis quand ?', enableWhen: [enableWhen] }],
    });
    assertValid(withCondition({ question: '1', operator: 'exists', answerBoolean: true }));
    const issue = assertIssue(withCondition({ question: '1', operator: 'exists', answerString: 'oui' }), { message: 'validation.invariant', type: 'invariant', expression: 'Questionnaire.item[1].enableWhen[0]' });
    assert.equal(issue.params?.key, 'que-7');
  });

  test('a SimpleQuantity takes no comparator (sqty-1): Range.low, a dose; a plain Quantity may', () => {
    const range = { ...weight(), valueQuantity: undefined, valueRange: { low: { value: 60, comparator: '>', unit: 'kg' }, high: { value: 80, unit: 'kg' } } };
    delete (range as Json).valueQuantity;
    const issue = assertIssue(range, { message: 'validation.invariant', type: 'invariant', expression: 'Observation.valueRange.low' });
    assert.equal(issue.params?.key, 'sqty-1');
    const plain = weight() as Json;
    (plain.valueQuantity as Json).comparator = '<';
    assertValid(plain);
  });

  test('a Period whose start is after its end breaks per-1, wherever a Period occurs', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', period: { start: '2020-02-01', end: '2020-01-01' } }];
    resource.extension = [{ url: 'http://example.org/stay', valuePeriod: { start: '2021-01-02T00:00:00Z', end: '2021-01-01T00:00:00Z' } }];
    assert.deepEqual(keysAt(resource, 'Patient.name[0].period'), ['per-1']);
    assert.deepEqual(keysAt(resource, 'Patient.extension[0].valuePeriod'), ['per-1']);
    const ordered = patient();
    ordered.name = [{ family: 'Dupont', period: { start: '2020-01-01', end: '2020-02-01' } }];
    assertValid(ordered);
  });

  test('a Quantity with a code and no system breaks qty-3, in components too', () => {
    const resource = observation();
    const components = resource.component as Json[];
    (components[1] as Json).valueQuantity = { value: 80, code: 'mm[Hg]' };
    assert.deepEqual(keysAt(resource, 'Observation.component[1].valueQuantity'), ['qty-3']);
  });

  test('a ContactPoint value without system breaks cpt-2; a contact with nothing breaks pat-1', () => {
    const resource = patient();
    resource.telecom = [{ value: '0102030405' }];
    resource.contact = [{ relationship: [{ text: 'voisin' }] }];
    assert.deepEqual(keysAt(resource, 'Patient.telecom[0]'), ['cpt-2']);
    assert.deepEqual(keysAt(resource, 'Patient.contact[0]'), ['pat-1']);
  });

  test('element invariants apply to each value of the element: org-3 on Organization.telecom', () => {
    const organization = { resourceType: 'Organization', name: 'Clinique', telecom: [{ system: 'phone', value: '01', use: 'work' }, { system: 'phone', value: '02', use: 'home' }] };
    assert.deepEqual(keysAt(organization, 'Organization.telecom[1]'), ['org-3']);
    assert.deepEqual(keysAt(organization, 'Organization.telecom[0]'), []);
  });

  test('warning invariants are warnings and leave the resource valid', () => {
    const resource = { ...questionnaire(), name: 'phq-2' };
    const result = validate(resource);
    assert.equal(result.valid, true);
    assert.deepEqual(result.issues.map((i) => [i.severity, i.params?.key, i.expression?.[0]]), [['warning', 'que-0', 'Questionnaire']]);
  });

  test('invariants using %resource see the enclosing resource: bdl-3 on a batch', () => {
    const bundle = transaction();
    bundle.type = 'collection';
    assert.deepEqual(keysAt(bundle, 'Bundle'), ['bdl-3']);
  });

  test('the native FHIRPath subset agrees with fhirpath.js wherever it decides', () => {
    const engine = invariantEngine(r4Schema());
    engine.crossCheck = true;
    try {
      const samples: unknown[] = [patient(), observation(), weight(), transaction(), questionnaire(), withContained()];
      samples.push({ ...weight(), dataAbsentReason: { text: 'x' } });
      const broken = patient();
      broken.telecom = [{ value: '01' }, { system: 'email', value: 'a@b.c' }];
      broken.contact = [{ relationship: [{ text: 'x' }] }, { name: { family: 'Martin' } }];
      samples.push(broken);
      const collection = transaction();
      collection.type = 'collection';
      samples.push(collection);
      for (const sample of samples) validateResource(r4Schema(), sample);
      assert.deepEqual(engine.disagreements, []);
    } finally {
      engine.crossCheck = false;
    }
  });

  test('the native FHIRPath subset agrees with fhirpath.js on random content', () => {
    const engine = invariantEngine(r4Schema());
    engine.crossCheck = true;
    const keys = ['telecom', 'contact', 'name', 'period', 'value', 'system', 'code', 'use', 'reference', 'valueQuantity',
      'dataAbsentReason', 'component', 'request', 'fullUrl', 'type', 'relationship', 'address', 'item', 'linkId', 'given', '_given'];
    const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('home', 'phone', '#x', '2020-01-01', 'final', 'http://x', true, 1));
    const node = fc.letrec((tie) => ({
      node: fc.dictionary(fc.constantFrom(...keys), fc.oneof({ maxDepth: 3 }, leaf, tie('node'), fc.array(tie('node'), { maxLength: 2 })), { maxKeys: 4 }),
    })).node;
    const makers = [patient, observation, transaction, questionnaire, withContained];
    try {
      fc.assert(fc.property(fc.constantFrom(...makers), fc.constantFrom(...keys), node, (make, key, value) => {
        const resource = make();
        resource[key] = value;
        validateResource(r4Schema(), resource);
        for (const list of Object.values(resource)) if (Array.isArray(list) && typeof list[0] === 'object') list.push(value);
        validateResource(r4Schema(), resource);
        assert.deepEqual(engine.disagreements, []);
      }), { numRuns: 400 });
    } finally {
      engine.crossCheck = false;
    }
  });

  test('every invariant of the model compiles; most run natively, the rest with fhirpath.js', () => {
    const model = r4Schema().model;
    let declared = 0;
    for (const type of Object.values(model.types)) {
      declared += type.constraints?.length ?? 0;
      for (const element of Object.values(type.elements)) declared += element.constraints?.length ?? 0;
    }
    const coverage = invariantCoverage(r4Schema());
    assert.equal(coverage.total, declared);
    assert.ok(coverage.native > declared / 2, `${coverage.native} of ${declared} native`);
    assert.ok(coverage.unsupported.length < 10, coverage.unsupported.join(', '));
  });

  test('an invariant fhirpath.js throws on is skipped, listed, and does not fail the resource', () => {
    const structure = {
      resourceType: 'StructureDefinition',
      url: 'http://example.org/StructureDefinition/x',
      name: 'X',
      status: 'draft',
      kind: 'resource',
      abstract: false,
      type: 'Patient',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
      derivation: 'constraint',
      differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] },
    };
    const result = validate(structure);
    assert.deepEqual(result.issues.filter((i) => i.severity === 'error'), []);
    assert.ok(unsupportedInvariants(r4Schema()).includes('eld-20'));
  });
});
