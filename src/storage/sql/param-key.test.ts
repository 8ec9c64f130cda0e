import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../../fhir/definitions/schema.js';
import { qualifiedParam } from '../query.js';
import { paramKey } from './param-key.js';

test('every R4 search parameter, and every composite component, gets a distinct index key', () => {
  const schema = r4Schema();
  const names = new Set<string>();
  for (const type of schema.resourceTypes) {
    for (const [code, definition] of schema.searchParameters(type)) {
      names.add(qualifiedParam(type, code));
      (definition.component ?? []).forEach((_, index) => names.add(`${qualifiedParam(type, code)}$${index}`));
    }
  }
  const keys = new Map<number, string>();
  for (const name of names) {
    const key = paramKey(name);
    assert.equal(keys.get(key), undefined, `${name} collides with ${keys.get(key)}`);
    keys.set(key, name);
  }
  assert.ok(names.size > 1500, `only ${names.size} parameters`);
});

test('index keys are stable 32-bit signed integers', () => {
  assert.equal(paramKey('Patient.family'), paramKey('Patient.family'));
  for (const name of ['Patient.family', 'Resource._tag', 'Observation.code-value-quantity$1']) {
    const key = paramKey(name);
    assert.ok(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31);
  }
});
