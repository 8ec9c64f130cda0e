/**
 * The accounts, in the auth module's collection "auth.accounts" (one document
 * per login), and the two checks of a login: password, then one-time code
 * (issue #4: two-factor as e-CPS is). Every failure counts towards the
 * lockout (lockout.ts); an unknown login costs the same time as a known one.
 */
import type { Collection } from '../../storage/collection.js';
import type { Account, AccountKind } from './account.js';
import { lockMinutesLeft, withFailure, withSuccess } from './lockout.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { acceptTotp, newTotpSecret } from './totp.js';

export interface NewAccount {
  readonly id: string;
  readonly kind: AccountKind;
  readonly password: string;
  /** Given for demo accounts (documented secrets); a fresh random one otherwise. */
  readonly totpSecret?: string;
  readonly fhirUser?: string;
  readonly display?: string;
  readonly demo?: boolean;
}

/** Why a check failed: a catalogue key and its parameters. */
export type CheckFailure =
  | { readonly ok: false; readonly reason: 'auth.login-failed' | 'auth.otp-failed' }
  | { readonly ok: false; readonly reason: 'auth.account-locked'; readonly minutes: number };

export type CheckResult = { readonly ok: true; readonly account: Account } | CheckFailure;

export class AccountStore {
  constructor(
    private readonly accounts: Collection<Account>,
    private readonly now: () => number,
  ) {}

  get(id: string): Promise<Account | undefined> {
    return this.accounts.get(id);
  }

  /** Accounts in login order, a page at a time. */
  async list(afterId: string | undefined, limit: number): Promise<Account[]> {
    return (await this.accounts.scan(afterId, limit)).map((e) => e.value);
  }

  /** Creates or replaces an account; the password is hashed here and never stored. */
  async save(input: NewAccount): Promise<Account> {
    const account: Account = {
      id: input.id,
      kind: input.kind,
      passwordHash: await hashPassword(input.password),
      totpSecret: input.totpSecret ?? newTotpSecret(),
      ...(input.fhirUser ? { fhirUser: input.fhirUser } : {}),
      ...(input.display ? { display: input.display } : {}),
      ...(input.demo ? { demo: true } : {}),
      failures: 0,
      createdAt: this.now(),
    };
    await this.accounts.put(account.id, account);
    return account;
  }

  /** Lifts a lockout (an operator's decision, `socle account unlock`); false when there is no such account. */
  async unlock(id: string): Promise<boolean> {
    const account = await this.accounts.get(id);
    if (!account) return false;
    const { lockedUntil: _lifted, ...open } = account;
    await this.accounts.put(id, { ...open, failures: 0 });
    return true;
  }

  /** First factor. A locked account is refused before its password is even checked. */
  async checkPassword(login: string, password: string): Promise<CheckResult> {
    const account = await this.accounts.get(login);
    if (!account || account.disabled) {
      await verifyPassword(await decoyHash(), password);
      return { ok: false, reason: 'auth.login-failed' };
    }
    const locked = this.lockedResult(account);
    if (locked) return locked;
    if (await verifyPassword(account.passwordHash, password)) return { ok: true, account };
    return this.recordFailure(account, 'auth.login-failed');
  }

  /** Second factor, for an account whose password was just accepted; success resets the failure count. */
  async checkCode(login: string, code: string): Promise<CheckResult> {
    const account = await this.accounts.get(login);
    if (!account || account.disabled) return { ok: false, reason: 'auth.otp-failed' };
    const locked = this.lockedResult(account);
    if (locked) return locked;
    const step = acceptTotp(account.totpSecret, code.trim(), this.now(), account.lastTotpStep);
    if (step === undefined) return this.recordFailure(account, 'auth.otp-failed');
    const done = withSuccess(account, step);
    await this.accounts.put(done.id, done);
    return { ok: true, account: done };
  }

  private lockedResult(account: Account): CheckFailure | undefined {
    const minutes = lockMinutesLeft(account, this.now());
    return minutes > 0 ? { ok: false, reason: 'auth.account-locked', minutes } : undefined;
  }

  private async recordFailure(account: Account, reason: 'auth.login-failed' | 'auth.otp-failed'): Promise<CheckResult> {
    const failed = withFailure(account, this.now());
    await this.accounts.put(failed.id, failed);
    return this.lockedResult(failed) ?? { ok: false, reason };
  }
}
