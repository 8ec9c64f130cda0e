/**
 * The OpenID and SMART launch scopes a token request is granted (openid,
 * fhirUser, launch/patient, offline_access…), beside the FHIR scopes the
 * access token carries: what this code or refresh token covers, narrowed by
 * a refresh request's own scope. SMART App Launch 2.0 wants the whole
 * granted scope in the token response, and the same in token introspection
 * ("scope: as included in the original access token response").
 */
type Ctx = any;

/** The granted OpenID scopes of this token request, space-separated; undefined without a grant (client credentials). */
export function grantedOpenIdScope(ctx: Ctx): string | undefined {
  const { entities, params } = ctx.oidc;
  const grant = entities.Grant;
  if (!grant) return undefined;
  const covered: Set<string> | undefined = entities.AuthorizationCode?.scopes ?? (params?.scope ? ctx.oidc.requestParamScopes : entities.RefreshToken?.scopes);
  if (!covered) return undefined;
  const scope = String(grant.getOIDCScopeFiltered(covered) ?? '');
  return scope === '' ? undefined : scope;
}

/** Space-separated scope lists joined, each scope once, in order. */
export function joinScopes(...lists: readonly (string | undefined)[]): string {
  return [...new Set(lists.flatMap((list) => (list ?? '').split(' ')).filter((s) => s !== ''))].join(' ');
}
