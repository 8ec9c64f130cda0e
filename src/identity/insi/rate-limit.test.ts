import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limit.js';

function clockAt(start: number): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

test('a client spends its burst, then waits for the rate to give calls back', () => {
  const clock = clockAt(1_000);
  const limiter = new RateLimiter(60, 3, clock); // one call a second
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), 1, 'the fourth call waits one second');
  clock.advance(999);
  assert.equal(limiter.take('a'), 1);
  clock.advance(1);
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), 1);
});

test('clients have their own buckets', () => {
  const limiter = new RateLimiter(1, 1, clockAt(0));
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), 60);
  assert.equal(limiter.take('b'), undefined);
});

test('a bucket never refills beyond the burst', () => {
  const clock = clockAt(0);
  const limiter = new RateLimiter(600, 2, clock);
  clock.advance(3_600_000);
  assert.equal(limiter.take('a'), undefined);
  assert.equal(limiter.take('a'), undefined);
  assert.notEqual(limiter.take('a'), undefined);
});
