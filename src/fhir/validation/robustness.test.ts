import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { r4Schema } from '../definitions/schema.js';
import { r4DefinitionsFolder } from '../definitions/source-files.js';
import { validateResource } from './index.js';
import { patient } from './test-fixtures.js';

const schema = r4Schema();

function assertLocated(issues: readonly { expression?: readonly string[] }[], root: string): void {
  for (const issue of issues) {
    assert.ok(issue.expression && issue.expression.length > 0, JSON.stringify(issue));
    assert.ok(issue.expression[0]?.startsWith(root), JSON.stringify(issue));
  }
}

describe('robustness', () => {
  test('the minimal instance of every resource type validates without throwing, failing only on required elements and invariants', () => {
    assert.equal(schema.resourceTypes.length, 146);
    for (const type of schema.resourceTypes) {
      const result = validateResource(schema, { resourceType: type });
      assertLocated(result.issues, type);
      // Some types need one of several elements (org-1, lnk-1…): invariants, not cardinalities.
      for (const issue of result.issues) assert.ok(issue.type === 'required' || issue.type === 'invariant', `${type}: ${JSON.stringify(issue)}`);
    }
  });

  test('random JSON in place of a Patient\'s elements never throws and every issue is located', () => {
    const names = [...(schema.type('Patient')?.elements ? Object.keys(schema.type('Patient')?.elements ?? {}) : []),
      'deceasedBoolean', 'deceasedDateTime', 'multipleBirthInteger', '_birthDate', '_gender', '_active', 'resourceType', 'unknownThing', '_name'];
    const patientElements = fc.dictionary(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    fc.assert(fc.property(patientElements, (elements) => {
      const result = validateResource(schema, { ...patient(), ...elements, resourceType: 'Patient' });
      assertLocated(result.issues, 'Patient');
      assert.equal(result.valid, !result.issues.some((i) => i.severity === 'error'));
    }), { numRuns: 500 });
  });

  test('random JSON inside datatypes and contained resources never throws', () => {
    const humanName = fc.dictionary(fc.constantFrom('use', 'family', 'given', '_given', 'period', 'extension', 'id', 'text', 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    const contained = fc.dictionary(fc.constantFrom('resourceType', 'id', 'meta', 'contained', 'name', 'code'), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('Organization', 'Patient', '#x')), { maxKeys: 5 });
    fc.assert(fc.property(humanName, fc.array(contained, { maxLength: 3 }), (name, resources) => {
      const result = validateResource(schema, { ...patient(), name: [name], contained: resources, generalPractitioner: [{ reference: '#x' }] });
      assertLocated(result.issues, 'Patient');
    }), { numRuns: 500 });
  });

  test('the official R4 value sets, code systems and search parameters are valid', () => {
    for (const file of ['valuesets.json', 'search-parameters.json']) {
      const bundle = JSON.parse(readFileSync(join(r4DefinitionsFolder(), file), 'utf8')) as { entry: { resource: { resourceType: string; id: string } }[] };
      for (const { resource } of bundle.entry) {
        const result = validateResource(schema, resource);
        assert.deepEqual(result.issues.filter((i) => i.severity === 'error'), [], `${resource.resourceType}/${resource.id}`);
      }
    }
  });
});

describe('depth', () => {
  test('content nested deeper than the walk allows is one structure error, not a stack overflow', () => {
    let item: Record<string, unknown> = { linkId: 'leaf', type: 'display', text: 'Fin' };
    for (let i = 0; i < 20_000; i++) item = { linkId: String(i), type: 'group', item: [item] };
    const result = validateResource(schema, { resourceType: 'Questionnaire', status: 'draft', item: [item] });
    assert.equal(result.valid, false);
    assert.deepEqual(result.issues.map((i) => [i.message, i.type]), [['validation.too-deep', 'structure']]);
  });

  test('Questionnaire items nested twenty deep are fine', () => {
    let item: Record<string, unknown> = { linkId: 'leaf', type: 'display', text: 'Fin' };
    for (let i = 0; i < 20; i++) item = { linkId: String(i), type: 'group', item: [item] };
    assert.equal(validateResource(schema, { resourceType: 'Questionnaire', status: 'draft', item: [item] }).valid, true);
  });
});

describe('hostile names', () => {
  test('resourceType and element names from Object.prototype are just unknown', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: name, meta: { versionId: '1' } } }] };
      assert.deepEqual(validateResource(schema, bundle).issues.map((i) => i.message), ['type.unknown']);
      const resource = JSON.parse(`{"resourceType":"Patient","${name}":1,"name":[{"__proto__":{"x":1}}]}`) as unknown;
      const issues = validateResource(schema, resource).issues;
      assert.ok(issues.length >= 2 && issues.every((i) => i.message === 'validation.unknown-element'), JSON.stringify(issues));
    }
  });
});
