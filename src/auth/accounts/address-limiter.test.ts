import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { AddressLimiter } from './address-limiter.js';

test('an address over its limit is refused until its window has passed; other addresses are not', () => {
  let now = 0;
  const limiter = new AddressLimiter(() => now, 3);
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.attempt('10.0.0.1')), [true, true, true, false]);
  assert.equal(limiter.attempt('10.0.0.2'), true);
  now = 61_000;
  assert.equal(limiter.attempt('10.0.0.1'), true);
});
