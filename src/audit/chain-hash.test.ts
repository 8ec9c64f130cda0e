import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, chainHash, GENESIS } from './chain-hash.js';

test('canonical JSON sorts keys at every level and ignores key order', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 'x', c: true }] }), '{"a":[{"c":true,"d":"x"}],"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('the chained hash ignores meta but changes with any content or with the previous hash', () => {
  const event = { resourceType: 'AuditEvent', id: 'a', action: 'R' };
  const hash = chainHash(GENESIS, event);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(chainHash(GENESIS, { ...event, meta: { versionId: '1' } }), hash);
  assert.notEqual(chainHash(GENESIS, { ...event, action: 'U' }), hash);
  assert.notEqual(chainHash(hash, event), hash);
});
