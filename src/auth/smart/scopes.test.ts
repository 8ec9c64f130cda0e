import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { coveredScopes, covers, parseResourceScope } from './scopes.js';

test('v1 and v2 scopes parse to the same permissions', () => {
  assert.deepEqual([...parseResourceScope('patient/*.read')!.permissions], ['r', 's']);
  assert.deepEqual([...parseResourceScope('patient/Observation.rs')!.permissions], ['r', 's']);
  assert.deepEqual([...parseResourceScope('user/*.cruds')!.permissions], ['c', 'r', 'u', 'd', 's']);
  assert.deepEqual([...parseResourceScope('system/*.write')!.permissions], ['c', 'u', 'd']);
});

test('malformed scopes and permissions out of order are not resource scopes', () => {
  for (const bad of ['patient/*.', 'patient/*.sr', 'nurse/*.read', 'patient/observation.read', 'patient/*.read?', 'openid', 'patient/*.rx']) {
    assert.equal(parseResourceScope(bad), undefined, bad);
  }
});

test('a wildcard grant covers a narrower request, never a wider one or another context', () => {
  const grant = parseResourceScope('patient/*.rs')!;
  assert.equal(covers(grant, parseResourceScope('patient/Observation.read')!), true);
  assert.equal(covers(grant, parseResourceScope('patient/Observation.cruds')!), false);
  assert.equal(covers(grant, parseResourceScope('user/Observation.rs')!), false);
  assert.deepEqual(coveredScopes(['patient/Observation.rs', 'system/*.read', 'openid', 'patient/Observation.rs'], ['patient/*.read']), ['patient/Observation.rs']);
});

test('a query-restricted grant covers only the same query', () => {
  const grant = parseResourceScope('patient/Observation.rs?category=laboratory')!;
  assert.equal(covers(grant, parseResourceScope('patient/Observation.rs?category=laboratory')!), true);
  assert.equal(covers(grant, parseResourceScope('patient/Observation.rs')!), false);
});
