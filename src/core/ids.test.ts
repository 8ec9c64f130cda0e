import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidId, newTimeOrderedId } from './ids.js';

test('time-ordered ids are RFC 9562 version 7 UUIDs that sort by their millisecond and are valid FHIR ids', () => {
  const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => newTimeOrderedId(ms));
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(isValidId(id));
  }
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(ids[0]?.slice(0, 13).replace('-', ''), (1_700_000_000_000).toString(16).padStart(12, '0'));
  assert.notEqual(newTimeOrderedId(1), newTimeOrderedId(1));
});
