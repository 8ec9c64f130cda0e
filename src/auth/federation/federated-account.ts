/**
 * The local account a federated professional logs in as. Accounts are named
 * by national identifier, so it is the account whose login is the idNat_PS.
 *
 * When none exists, one is created for the directory Practitioner the
 * identity was mapped to — never for an identity the directory does not know
 * (map-identity.ts refuses those first). Its password and second factor are
 * random values nobody is told: the account can only be entered through the
 * external provider, until an operator gives it a password of its own.
 *
 * An existing account that points to another Practitioner, or is disabled,
 * is refused rather than silently re-pointed.
 */
import { randomBytes } from 'node:crypto';
import { fail } from '../../core/errors.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { MappedProfessional } from './map-identity.js';

export type FederatedAccounts = Pick<AccountStore, 'get' | 'save'>;

/** The account id (= idNat_PS) to finish the login with; creates the account on first federated login. */
export async function ensureFederatedAccount(accounts: FederatedAccounts, professional: MappedProfessional): Promise<string> {
  const fhirUser = `Practitioner/${professional.practitionerId}`;
  const existing = await accounts.get(professional.idNatPs);
  if (existing) {
    if (existing.disabled) throw fail('auth.upstream-account-disabled', { idNatPs: professional.idNatPs });
    if (existing.kind !== 'practitioner' || (existing.fhirUser !== undefined && existing.fhirUser !== fhirUser)) {
      throw fail('auth.upstream-account-mismatch', { idNatPs: professional.idNatPs });
    }
    return existing.id;
  }
  const created = await accounts.save({
    id: professional.idNatPs,
    kind: 'practitioner',
    password: randomBytes(32).toString('base64url'),
    fhirUser,
    ...(professional.display ? { display: professional.display } : {}),
  });
  return created.id;
}
