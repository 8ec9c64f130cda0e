import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScope, scopePermissions } from './smart-scopes.js';

test('SMART v2 scopes grant exactly their letters', () => {
  const grant = parseScope('patient/Observation.rs');
  assert.deepEqual(grant && { ...grant, permissions: [...grant.permissions] }, { context: 'patient', type: 'Observation', permissions: ['r', 's'] });
  const all = scopePermissions(['user/*.cruds']);
  for (const p of ['c', 'r', 'u', 'd', 's'] as const) assert.equal(all.allows(['user'], 'Encounter', p), true);
  assert.equal(all.allows(['system'], 'Encounter', 'r'), false);
});

test('SMART v1 read and write map to rs and cud', () => {
  const permissions = scopePermissions(['patient/*.read', 'user/Observation.write']);
  assert.equal(permissions.allows(['patient'], 'Condition', 'r'), true);
  assert.equal(permissions.allows(['patient'], 'Condition', 's'), true);
  assert.equal(permissions.allows(['patient'], 'Condition', 'c'), false);
  assert.equal(permissions.allows(['user'], 'Observation', 'u'), true);
  assert.equal(permissions.allows(['user'], 'Observation', 'r'), false);
  assert.equal(scopePermissions(['*.*']).allows(['user'], 'Patient', 'd'), true);
});

test('letters out of order, unknown contexts, malformed queries and non-data scopes grant nothing', () => {
  for (const scope of ['patient/Observation.sr', 'patient/Observation.rr', 'doctor/*.read', 'patient/Observation.rs?', 'patient/Observation.rs?category', 'openid', 'launch/patient', 'fhirUser', 'user/observation.read', 'system/*.x']) {
    assert.equal(parseScope(scope), undefined, scope);
  }
});

test('a type-specific scope does not open other types', () => {
  const permissions = scopePermissions(['system/Patient.rs']);
  assert.equal(permissions.allows(['system'], 'Patient', 'r'), true);
  assert.equal(permissions.allows(['system'], 'Observation', 'r'), false);
  assert.equal(permissions.allowsAny(['system'], 's'), true);
  assert.equal(permissions.allowsAny(['system'], 'c'), false);
});

test('a query-narrowed scope grants read and search through its query only, never writes', () => {
  const permissions = scopePermissions(['patient/Observation.cruds?category=laboratory', 'patient/Condition.rs']);
  assert.equal(permissions.allows(['patient'], 'Observation', 'r'), false, 'not unconditionally');
  assert.deepEqual(permissions.constraints(['patient'], 'Observation', 's'), ['category=laboratory']);
  assert.deepEqual(permissions.constraints(['patient'], 'Observation', 'c'), []);
  assert.deepEqual(permissions.constraints(['user'], 'Observation', 'r'), []);
  assert.equal(permissions.allowsAny(['patient'], 'u'), false);
});
