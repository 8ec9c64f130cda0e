import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { indexKey, MAX_KEY_BYTES } from './index-key.js';

const bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

test('a value within the key budget is kept whole, null and undefined pass through', () => {
  assert.equal(indexKey('urn:oid:1.2.250.1.213.1.4.8'), 'urn:oid:1.2.250.1.213.1.4.8');
  assert.equal(indexKey('é'.repeat(MAX_KEY_BYTES / 2)), 'é'.repeat(MAX_KEY_BYTES / 2));
  assert.equal(indexKey(null), null);
  assert.equal(indexKey(undefined), undefined);
});

test('a longer value is cut to the budget in UTF-8 bytes, on a character boundary', () => {
  assert.equal(indexKey('a'.repeat(3000)), 'a'.repeat(MAX_KEY_BYTES));
  const cjk = indexKey('漢'.repeat(1000));
  assert.equal(cjk, '漢'.repeat(Math.floor(MAX_KEY_BYTES / 3)));
  // A surrogate pair (4 bytes) is never split.
  const emoji = indexKey(`a${'😀'.repeat(600)}`);
  assert.equal(emoji, `a${'😀'.repeat(Math.floor((MAX_KEY_BYTES - 1) / 4))}`);
  assert.ok(!/[\uD800-\uDBFF]$/.test(emoji));
});

test('the cut value fits the budget, is a prefix of the value, and is cut again unchanged', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 1500 }), (value) => {
    const key = indexKey(value);
    assert.ok(bytes(key) <= MAX_KEY_BYTES);
    assert.ok(value.startsWith(key));
    assert.equal(indexKey(key), key);
    if (bytes(value) <= MAX_KEY_BYTES) assert.equal(key, value);
    else assert.ok(bytes(key) > MAX_KEY_BYTES - 4, 'no more than one character short of the budget');
  }));
});
