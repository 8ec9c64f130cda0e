import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Account } from './account.js';
import { LOCK_MINUTES, lockMinutesLeft, MAX_FAILURES, withFailure, withSuccess } from './lockout.js';

const fresh: Account = { id: '810001000016', kind: 'practitioner', passwordHash: 'x', totpSecret: 'x', failures: 0, createdAt: 0 };

test(`the ${MAX_FAILURES}th consecutive failure locks the account for ${LOCK_MINUTES} minutes`, () => {
  let account = fresh;
  for (let i = 1; i < MAX_FAILURES; i++) account = withFailure(account, 1000);
  assert.equal(lockMinutesLeft(account, 1000), 0);
  account = withFailure(account, 1000);
  assert.equal(lockMinutesLeft(account, 1000), LOCK_MINUTES);
  assert.equal(lockMinutesLeft(account, 1000 + LOCK_MINUTES * 60_000), 0);
});

test('a lock that ran out starts a fresh count; a success resets it', () => {
  let account = fresh;
  for (let i = 0; i < MAX_FAILURES; i++) account = withFailure(account, 0);
  account = withFailure(account, LOCK_MINUTES * 60_000 + 1);
  assert.equal(account.failures, 1);
  assert.equal(account.lockedUntil, undefined);
  assert.equal(withSuccess(withFailure(fresh, 0), 42).failures, 0);
  assert.equal(withSuccess(fresh, 42).lastTotpStep, 42);
});
