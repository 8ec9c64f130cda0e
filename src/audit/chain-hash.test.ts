import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainHash, GENESIS } from './chain-hash.js';

test('the chained hash changes with any byte of the record or with the previous hash', () => {
  const record = '{"resourceType":"AuditEvent","id":"a","action":"R"}';
  const hash = chainHash(GENESIS, record);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(chainHash(GENESIS, record), hash);
  assert.notEqual(chainHash(GENESIS, record.replace('"R"', '"U"')), hash);
  assert.notEqual(chainHash(GENESIS, record.replace('{', '{ ')), hash);
  assert.notEqual(chainHash(hash, record), hash);
});
