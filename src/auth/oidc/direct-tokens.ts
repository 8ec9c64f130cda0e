/**
 * Access tokens minted without the browser flow, for `socle token`: an
 * operator token (`--admin`) or one for any account (`--user`), in the very
 * format the provider issues (../tokens/access-token.ts, RFC 9068), signed
 * with the same keys, so the FHIR API accepts both alike. Only someone with
 * the server's data folder and database settings can mint them.
 */
import { fail } from '../../core/errors.js';
import type { Account } from '../accounts/account.js';
import { mintAccessToken } from '../tokens/access-token.js';
import type { SigningKeyStore } from '../tokens/key-store.js';
import { splitScope } from '../smart/scopes.js';
import { grantableOidcScopes, grantableResourceScopes } from './grants.js';
import type { Endpoints } from './issuer.js';

export const CLI_CLIENT_ID = 'socle-cli';
const EVERYTHING = ['patient/*.cruds', 'user/*.cruds', 'system/*.cruds'];
const DEFAULT_SCOPES = { operator: 'system/*.cruds', practitioner: 'user/*.cruds', patient: 'patient/*.cruds' } as const;

export interface DirectTokenRequest {
  /** undefined = the operator ("admin") without an account. */
  readonly account?: Account;
  readonly scope?: string;
  readonly ttlSeconds: number;
}

/** Mints a token; the scopes are cut to what the account's kind may hold (grants.ts). */
export async function mintDirectToken(keyStore: SigningKeyStore, endpoints: Endpoints, request: DirectTokenRequest): Promise<{ token: string; scopes: string[] }> {
  const kind = request.account?.kind ?? 'operator';
  const requested = splitScope(request.scope ?? DEFAULT_SCOPES[kind]);
  const scopes = [...grantableOidcScopes(kind, requested), ...grantableResourceScopes(kind, requested, EVERYTHING)];
  if (scopes.length === 0) throw fail('auth.client-invalid', { reason: `no scope of "${requested.join(' ').slice(0, 200)}" may be held by a ${kind} account` });
  const [signing] = await keyStore.activeKeys();
  const account = request.account;
  const patient = account?.kind === 'patient' ? account.fhirUser?.replace(/^Patient\//, '') : undefined;
  const token = await mintAccessToken(signing!, {
    subject: account?.id ?? 'admin',
    clientId: CLI_CLIENT_ID,
    scopes,
    issuer: endpoints.issuer,
    audience: endpoints.fhirBase,
    ttlSeconds: request.ttlSeconds,
    socle_kind: kind,
    ...(account?.fhirUser ? { fhirUser: account.fhirUser } : {}),
    ...(patient ? { patient } : {}),
    ...(account?.kind === 'practitioner' ? { idnat: account.id } : {}),
    ...(account?.display ? { name: account.display } : {}),
  });
  return { token, scopes };
}
