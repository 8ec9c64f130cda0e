/**
 * What an account may be granted (least privilege, issue #4): the resource
 * scopes its kind allows and its client is registered for, and the OpenID
 * scopes it asked for. Professionals act on the patients they pick or are
 * given (patient/) and on what they may reach as users (user/); patients only
 * on their own record (patient/); system/ scopes belong to operators and to
 * system clients (client credentials), never to a professional or a patient.
 */
import type { AccountKind } from '../accounts/account.js';
import { coveredScopes, OIDC_SCOPES, parseResourceScope, type ScopeContext } from '../smart/scopes.js';

const CONTEXTS: Readonly<Record<AccountKind | 'system', readonly ScopeContext[]>> = {
  practitioner: ['patient', 'user'],
  patient: ['patient'],
  operator: ['patient', 'user', 'system'],
  system: ['system'],
};

const OIDC_SET: ReadonlySet<string> = new Set(OIDC_SCOPES);

/** Requested resource scopes that `kind` may hold and the client is registered for. */
export function grantableResourceScopes(kind: AccountKind | 'system', requested: readonly string[], clientScopes: readonly string[]): string[] {
  return coveredScopes(requested, clientScopes).filter((s) => CONTEXTS[kind].includes(parseResourceScope(s)!.context));
}

/** Requested OpenID / launch scopes that `kind` may hold (scope_all, Pro Santé Connect's, is for professionals). */
export function grantableOidcScopes(kind: AccountKind, requested: readonly string[]): string[] {
  return requested.filter((s) => OIDC_SET.has(s) && (s !== 'scope_all' || kind === 'practitioner'));
}
