/**
 * A login account of Socle. Accounts are named by national identifier
 * (issue #4): a professional's login is the idNat_PS, a patient's the INS
 * (15 characters), the operator's "admin". A professional account points to
 * its Practitioner in the directory, a patient account to its Patient with a
 * qualified INS; the FHIR resource stays the source of names and practices.
 */
import { parseInsNumber } from '../../identity/ins/nir.js';

export type AccountKind = 'practitioner' | 'patient' | 'operator';

export interface Account {
  /** The login: idNat_PS, INS, or the operator's name. */
  readonly id: string;
  readonly kind: AccountKind;
  /** argon2id PHC string (password.ts). */
  readonly passwordHash: string;
  /** Base32 TOTP secret (RFC 6238), the second factor. */
  readonly totpSecret: string;
  /** "Practitioner/<id>" or "Patient/<id>": SMART's fhirUser. */
  readonly fhirUser?: string;
  /** Display name for pages and audit records (never logged). */
  readonly display?: string;
  /** Consecutive failed logins since the last success. */
  readonly failures: number;
  /** Epoch ms until which the account refuses logins (lockout.ts). */
  readonly lockedUntil?: number;
  /** The last TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2). */
  readonly lastTotpStep?: number;
  readonly createdAt: number;
  readonly disabled?: boolean;
  /** A demo account with a documented password: refused in production (demo.ts). */
  readonly demo?: boolean;
}

/** A professional's idNat_PS: 8 + RPPS (12 digits) or 0 + ADELI (10 characters), reference §2.1. */
export const ID_NAT_PS = /^(8\d{11}|0[0-9A-Z]{9})$/;
/** Operator logins: lower-case words, never confusable with a national identifier. */
export const OPERATOR_LOGIN = /^[a-z][a-z0-9._-]{2,31}$/;

/** The kind of account a login names, by its shape; undefined when it names none. */
export function kindOfLogin(login: string): AccountKind | undefined {
  if (ID_NAT_PS.test(login)) return 'practitioner';
  if (login.length === 15) return parseInsNumber(login).ok ? 'patient' : undefined;
  if (OPERATOR_LOGIN.test(login)) return 'operator';
  return undefined;
}
