/**
 * Creating an account, with the rules of issue #4: the login names the
 * person by national identifier and decides the kind; a professional account
 * is linked to the active Practitioner of its idNat_PS, a patient account to
 * the Patient of its INS, which must be qualified (reference §1.3); the
 * password is long enough (NIST SP 800-63B §5.1.1.2).
 */
import { fail } from '../../core/errors.js';
import type { Account } from './account.js';
import { kindOfLogin } from './account.js';
import type { AccountStore } from './account-store.js';
import { displayName, type FhirLookup } from './fhir-lookup.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

export interface CreateAccountInput {
  readonly login: string;
  readonly password: string;
  readonly totpSecret?: string;
  readonly demo?: boolean;
}

export async function createAccount(accounts: AccountStore, lookup: FhirLookup, input: CreateAccountInput): Promise<Account> {
  const kind = kindOfLogin(input.login);
  if (!kind) throw fail('auth.login-invalid', { login: input.login.slice(0, 64) });
  if (input.password.length < PASSWORD_MIN || input.password.length > PASSWORD_MAX) {
    throw fail('auth.password-too-weak', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  }
  let fhirUser: string | undefined;
  let display: string | undefined;
  if (kind === 'practitioner') {
    const practitioner = await lookup.practitioner(input.login);
    if (!practitioner) throw fail('auth.practitioner-not-found', { login: input.login });
    fhirUser = `Practitioner/${practitioner.id as string}`;
    display = displayName(practitioner);
  } else if (kind === 'patient') {
    const found = await lookup.patientByIns(input.login);
    if (!found) throw fail('auth.patient-not-found', { login: input.login });
    if (!found.qualified) throw fail('auth.patient-not-qualified', { login: input.login });
    fhirUser = `Patient/${found.patient.id as string}`;
    display = displayName(found.patient);
  }
  return accounts.save({
    id: input.login, kind, password: input.password,
    ...(input.totpSecret ? { totpSecret: input.totpSecret } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(display ? { display } : {}),
    ...(input.demo ? { demo: true } : {}),
  });
}
