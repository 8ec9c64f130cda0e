/**
 * The grants a login session made, so that ending the session ends them all.
 * oidc-provider keeps one grant per client in a session
 * (session.authorizations[clientId].grantId): each new SMART launch of the
 * same app makes a new grant that takes the place of the previous one, and
 * RP-Initiated Logout revokes only that last one (end_session.js). The ids of
 * every grant the session held for a client are kept beside it, and at logout
 * those made without offline_access (which OpenID Connect Core §11 lets
 * outlive the login) are revoked with their tokens, as the provider revokes
 * the last one. Session expiry needs no list: the access tokens of a
 * session-bound grant name their session (configuration.ts, SESSION_CLAIM)
 * and the provider binds refresh tokens to it (expiresWithSession).
 */
import type Provider from 'oidc-provider';

type Ctx = any;

/** Where the ids are kept, inside the session's authorization for a client (saved with the session). */
const GRANTS_KEY = 'socleGrants';

/** Records that the session `session` holds grant `grantId` for `clientId`. */
export function recordSessionGrant(session: Ctx, clientId: string, grantId: string): void {
  const authorization = session.authorizationFor(clientId) as Record<string, unknown>;
  const known = Array.isArray(authorization[GRANTS_KEY]) ? (authorization[GRANTS_KEY] as string[]) : [];
  if (!known.includes(grantId)) authorization[GRANTS_KEY] = [...known, grantId];
}

/** Every grant a session recorded, by client. */
function sessionGrants(session: Ctx): { clientId: string; grantId: string }[] {
  const authorizations = (session?.authorizations ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(authorizations).flatMap(([clientId, authorization]) => {
    const ids = Array.isArray(authorization[GRANTS_KEY]) ? (authorization[GRANTS_KEY] as string[]) : [];
    return ids.map((grantId) => ({ clientId, grantId }));
  });
}

/** Revokes the grants of an ended session that were bound to it (not offline_access), with their codes and tokens. */
export async function endSessionGrants(provider: Provider, session: Ctx): Promise<void> {
  const models = provider as unknown as Record<'Grant' | 'AccessToken' | 'RefreshToken' | 'AuthorizationCode', Ctx>;
  for (const { grantId } of sessionGrants(session)) {
    const grant = await models.Grant.find(grantId);
    if (!grant) continue;
    const scope = String(grant.getOIDCScope?.() ?? '');
    if (scope.split(' ').includes('offline_access')) continue;
    await Promise.all([
      models.AccessToken.adapter.revokeByGrantId(grantId),
      models.RefreshToken.adapter.revokeByGrantId(grantId),
      models.AuthorizationCode.adapter.revokeByGrantId(grantId),
    ]);
    await models.Grant.adapter.destroy(grantId);
  }
}
