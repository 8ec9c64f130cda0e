/**
 * Lockout after repeated failures (issue #4; ANSSI's and OWASP's guidance on
 * online guessing): after MAX_FAILURES consecutive failed attempts (password or
 * one-time code) an account refuses every login for LOCK_MINUTES, even with
 * the right password. A success resets the count. Pure functions over the
 * account document; account-store.ts persists the result.
 */
import type { Account } from './account.js';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** Minutes left of a lock at `now`, or 0 when the account is open. */
export function lockMinutesLeft(account: Account, now: number): number {
  if (account.lockedUntil === undefined || account.lockedUntil <= now) return 0;
  return Math.ceil((account.lockedUntil - now) / 60_000);
}

/** The account after one more failure: locked when the count reaches the limit. */
export function withFailure(account: Account, now: number): Account {
  // A lock that has run out starts a fresh count.
  const failures = (account.lockedUntil !== undefined && account.lockedUntil <= now ? 0 : account.failures) + 1;
  if (failures >= MAX_FAILURES) return { ...account, failures: 0, lockedUntil: now + LOCK_MINUTES * 60_000 };
  const { lockedUntil: _expired, ...open } = account;
  return { ...open, failures };
}

/** The account after a complete login (both factors). */
export function withSuccess(account: Account, totpStep: number): Account {
  const { lockedUntil: _gone, ...open } = account;
  return { ...open, failures: 0, lastTotpStep: totpStep };
}
