import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFhirError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { checkCaller } from './call.js';

function refusal(principal: Principal | undefined): [number, string] | undefined {
  try {
    checkCaller(principal);
    return undefined;
  } catch (error) {
    assert.ok(isFhirError(error));
    return [error.status, error.issues[0]!.type];
  }
}

test('professionals, systems and the platform operator may call the teleservice; patients may not', () => {
  const base = { subject: 's', clientId: 'c', scopes: [] };
  assert.deepEqual(refusal(undefined), [401, 'login']);
  assert.deepEqual(refusal({ ...base, kind: 'patient' }), [403, 'forbidden']);
  for (const kind of ['practitioner', 'system', 'operator'] as const) assert.equal(refusal({ ...base, kind }), undefined);
});
