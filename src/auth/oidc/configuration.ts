/**
 * The configuration of oidc-provider (https://github.com/panva/node-oidc-provider/blob/v8.x/docs/README.md)
 * for Socle: which OAuth 2.0 / OpenID Connect features are on, how long
 * everything lives, which claims each scope releases, and how access tokens
 * for the FHIR API are made: JWTs (RFC 9068) for the FHIR base as audience
 * (RFC 8707 resource indicator, the default resource), carrying Socle's
 * claims (socle_kind, fhirUser, patient, idnat, name) so that the FHIR layer
 * decides without a lookup (../tokens/access-token.ts verifies them).
 */
import type { JWK } from 'jose';
import { errors } from 'oidc-provider';
import type { AccountStore } from '../accounts/account-store.js';
import { splitScope } from '../smart/scopes.js';
import type { LaunchContexts } from '../smart/launch-contexts.js';
import { CLIENT_ASSERTION_ALGS, ID_TOKEN_ALGS, registeredScopes, RESOURCE_SCOPES, TOKEN_ENDPOINT_AUTH_METHODS } from './clients.js';
import { assertClientAssertion } from './client-assertion.js';
import { grantedOpenIdScope } from './granted-scope.js';
import { CLAIMS_BY_SCOPE } from './find-account.js';
import { grantableResourceScopes } from './grants.js';
import { recordSessionGrant } from './session-grants.js';
import { asksForPatient, coveredScopes, parseResourceScope } from '../smart/scopes.js';

type Ctx = any;

export interface ProviderSettings {
  readonly fhirBase: string;
  readonly secureCookies: boolean;
  readonly cookieKeys: readonly string[];
  /** Private signing JWKs, the signing key first (SigningKeyStore.activeKeys). */
  readonly keys: readonly JWK[];
  readonly accessTokenTtl: number;
  /** Idle session timeout: a session untouched this long is over. */
  readonly sessionIdleSeconds: number;
}

export interface ProviderDeps {
  readonly adapter: (model: string) => unknown;
  readonly accounts: AccountStore;
  readonly launches: LaunchContexts;
  readonly findAccount: (ctx: Ctx, sub: string) => Promise<unknown>;
  readonly pages: {
    renderError(ctx: Ctx, out: Record<string, string>, error: unknown): Promise<void>;
    logoutSource(ctx: Ctx, form: string): Promise<void>;
    postLogoutSuccessSource(ctx: Ctx): Promise<void>;
  };
}

/** The scopes of the OpenID provider: OpenID Connect's, SMART's launch scopes, Pro Santé Connect's scope_all. */
const PROVIDER_SCOPES = ['openid', 'offline_access', 'profile', 'fhirUser', 'launch', 'launch/patient', 'launch/encounter', 'online_access', 'scope_all'];

/** Whether a code or refresh token was granted FHIR scopes (then its access token is for the FHIR API). */
function hasResourceScopes(scopes: Iterable<string>): boolean {
  for (const scope of scopes) if (parseResourceScope(scope)) return true;
  return false;
}

/**
 * The scopes a token request asks for: its scope parameter, or for a refresh
 * without one the refresh token's own ("a missing value indicates a request
 * for the same scopes granted in the original launch", SMART App Launch 2.0,
 * refresh; RFC 6749 §6). Without that, a refreshed access token carried no
 * FHIR scope at all.
 */
function requestedScopes(ctx: Ctx): string[] {
  const { params, entities } = ctx.oidc;
  if (params?.scope) return splitScope(params.scope);
  if (params?.grant_type === 'refresh_token' && entities.RefreshToken) return [...(entities.RefreshToken.scopes as Set<string>)];
  return [];
}

/**
 * The access token claim listing the OpenID scopes granted with it (openid,
 * fhirUser, launch/patient…): its `scope` has the FHIR scopes only (resource
 * indicators), and introspection answers with both (provider-host.ts).
 */
export const OPENID_SCOPE_CLAIM = 'socle_openid_scope';
/**
 * The access token claim naming its grant: revoking the grant's refresh
 * token (or ending an online session) revokes the grant, and the bearer check
 * then refuses the access tokens issued under it too (RFC 7009 §2.1: "SHOULD
 * also invalidate all access tokens based on the same authorization grant").
 */
export const GRANT_CLAIM = 'socle_grant';
/**
 * The access token claim naming the login session a grant without
 * offline_access is bound to (the provider's expiresWithSession): once the
 * session ends, by logout or by idle expiry, the bearer check and
 * introspection refuse the token, as the provider already refuses the
 * session's refresh tokens. Every grant of the session, not only its last
 * one per client (session-grants.ts).
 */
export const SESSION_CLAIM = 'socle_session';

async function isPatientAccount(deps: ProviderDeps, accountId: unknown): Promise<boolean> {
  return typeof accountId === 'string' && (await deps.accounts.get(accountId))?.kind === 'patient';
}

/** Socle's claims for a JWT access token (access-token.ts's SocleTokenClaims). */
async function socleClaims(deps: ProviderDeps, ctx: Ctx, token: Ctx): Promise<Record<string, unknown>> {
  if (!token.accountId) return { socle_kind: 'system' };
  const openid = token.kind === 'AccessToken' ? grantedOpenIdScope(ctx) : undefined;
  const account = await deps.accounts.get(token.accountId);
  if (!account) return {};
  const context = token.grantId ? await deps.launches.forGrant(token.grantId) : undefined;
  // A patient's tokens are always about their own record; a professional's about the patient in context.
  const patient = account.kind === 'patient' ? account.fhirUser?.replace(/^Patient\//, '') : context?.patient;
  return {
    socle_kind: account.kind,
    ...(account.fhirUser ? { fhirUser: account.fhirUser } : {}),
    ...(patient ? { patient } : {}),
    ...(context?.encounter ? { encounter: context.encounter } : {}),
    ...(account.kind === 'practitioner' ? { idnat: account.id } : {}),
    ...(account.display ? { name: account.display } : {}),
    ...(openid ? { [OPENID_SCOPE_CLAIM]: openid } : {}),
    ...(typeof token.grantId === 'string' ? { [GRANT_CLAIM]: token.grantId } : {}),
    ...(token.expiresWithSession === true && typeof token.sessionUid === 'string' ? { [SESSION_CLAIM]: token.sessionUid } : {}),
  };
}

export function providerConfiguration(settings: ProviderSettings, deps: ProviderDeps): Record<string, unknown> {
  const { fhirBase } = settings;
  const cookie = { httpOnly: true, sameSite: 'lax', signed: true, secure: settings.secureCookies };
  return {
    adapter: deps.adapter,
    findAccount: deps.findAccount,
    jwks: { keys: settings.keys },
    cookies: { keys: [...settings.cookieKeys], long: cookie, short: cookie, names: { session: 'socle_session', interaction: 'socle_interaction', resume: 'socle_resume' } },
    claims: CLAIMS_BY_SCOPE,
    scopes: PROVIDER_SCOPES,
    acrValues: ['eidas1'],
    // SMART App Launch 2.0 wants fhirUser in the ID token, as Pro Santé Connect gives its claims there too.
    conformIdTokenClaims: false,
    extraParams: {
      launch: null,
      // SMART App Launch 2.0: `aud` names the FHIR server the app wants a token for; any other is refused.
      aud: (_ctx: Ctx, value: unknown) => {
        if (value !== undefined && String(value).replace(/\/+$/, '') !== fhirBase) throw new errors.InvalidRequest!('aud must be this server’s FHIR base URL');
      },
    },
    extraClientMetadata: {
      properties: [RESOURCE_SCOPES],
      validator: (_ctx: Ctx, key: string, value: unknown) => {
        if (key !== RESOURCE_SCOPES || value === undefined) return;
        if (typeof value !== 'string' || splitScope(value).some((s) => !parseResourceScope(s))) {
          throw new errors.InvalidClientMetadata!(`${RESOURCE_SCOPES} must list SMART resource scopes`);
        }
      },
    },
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      // OpenID Connect Registration's default, the one every relying party verifies; a client may ask for ES256.
      id_token_signed_response_alg: 'RS256',
    },
    clientAuthMethods: [...TOKEN_ENDPOINT_AUTH_METHODS],
    assertJwtClientAuthClaimsAndHeader: assertClientAssertion,
    enabledJWA: {
      clientAuthSigningAlgValues: [...CLIENT_ASSERTION_ALGS],
      idTokenSigningAlgValues: [...ID_TOKEN_ALGS],
      userinfoSigningAlgValues: ['ES256'],
      introspectionSigningAlgValues: ['ES256'],
      authorizationSigningAlgValues: ['ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // A client learns about its own tokens only (least privilege).
        allowedPolicy: async (ctx: Ctx, client: Ctx, token: Ctx) => client.clientAuthMethod !== 'none' && token.clientId === ctx.oidc.client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: deps.pages.logoutSource, postLogoutSuccessSource: deps.pages.postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => fhirBase,
        // SMART apps do not repeat the resource at the token endpoint: a grant with FHIR scopes gets a FHIR token;
        // one with only OpenID scopes (Pro Santé Connect style) gets a token for userinfo.
        useGrantedResource: async (_ctx: Ctx, model: Ctx) => hasResourceScopes(model.scopes ?? []),
        getResourceServerInfo: async (ctx: Ctx, indicator: string, client: Ctx) => {
          if (indicator !== fhirBase) throw new errors.InvalidTarget!('the only resource is the FHIR API');
          const requested = requestedScopes(ctx);
          const registered = registeredScopes(client);
          const clientCredentials = ctx.oidc.params?.grant_type === 'client_credentials';
          const scope = clientCredentials ? grantableResourceScopes('system', requested, registered) : coveredScopes(requested, registered);
          // RFC 6749 §5.2: a scope that gives nothing is invalid_scope, not a token every FHIR call refuses
          // (SMART Backend Services: the response's scope is required). Client credentials only: a login may
          // ask for OpenID scopes alone (Pro Santé Connect's openid scope_all), and then gets no FHIR token.
          if (clientCredentials && scope.length === 0) {
            const grantable = grantableResourceScopes('system', registered, registered).join(' ');
            throw new errors.InvalidScope!(`no requested scope may be granted to this client${grantable ? ` (it may ask for: ${grantable})` : ''}`, requested.join(' ') || undefined);
          }
          return { scope: scope.join(' '), audience: fhirBase, accessTokenTTL: settings.accessTokenTtl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    extraTokenClaims: (ctx: Ctx, token: Ctx) => socleClaims(deps, ctx, token),
    // A new SMART launch always asks again which patient: no silent reuse of an earlier grant then. A patient's
    // own login has no patient to choose (it is always their record, consent.ts), so their grant is reused.
    loadExistingGrant: async (ctx: Ctx) => {
      const consented = ctx.oidc.result?.consent?.grantId;
      if (consented) {
        // The session keeps one grant per client; the list keeps them all, so that logout ends every one.
        recordSessionGrant(ctx.oidc.session, ctx.oidc.client.clientId, consented);
        return ctx.oidc.provider.Grant.find(consented);
      }
      const scopes = splitScope(ctx.oidc.params?.scope);
      if (ctx.oidc.params?.launch) return undefined;
      if (asksForPatient(scopes) && !(await isPatientAccount(deps, ctx.oidc.session.accountId))) return undefined;
      const grantId = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // SMART App Launch 2.0, "Scopes for requesting a refresh token": online_access gets one too, valid while the
    // user is online. The provider's default expiresWithSession (every grant without offline_access) binds it, and
    // the tokens refreshed with it, to the login session: it stops at logout or when the session times out.
    issueRefreshToken: async (_ctx: Ctx, client: Ctx, code: Ctx) => client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: settings.accessTokenTtl,
      ClientCredentials: settings.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: settings.accessTokenTtl,
      Interaction: 600,
      RefreshToken: 14 * 86_400,
      Grant: 14 * 86_400,
      Session: settings.sessionIdleSeconds,
    },
    interactions: { url: (_ctx: Ctx, interaction: Ctx) => `/interaction/${interaction.uid as string}` },
    renderError: deps.pages.renderError,
    discovery: { claims_locales_supported: ['fr', 'en'], ui_locales_supported: ['fr', 'en'] },
  };
}
