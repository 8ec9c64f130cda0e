/**
 * Holds the running oidc-provider instance. The provider takes its signing
 * keys at construction, so when the key store rotates (a new signing key, the
 * old one kept for verification) a new instance is built over the same
 * durable state (sessions, grants and tokens live in the collections): the
 * swap is invisible to clients. Keys are re-read at most once a minute. The
 * same happens when the issuer changes (see the constructor).
 *
 * Each instance gets a koa middleware (the provider's documented extension
 * point) that fills in what a token request may leave out
 * (token-request-defaults.ts), adds SMART App Launch 2.0's launch context
 * (`patient`, `encounter`) and the whole granted scope to token responses, and serves introspection and
 * revocation of JWT access tokens (jwt-access-tokens.ts).
 */
import Provider from 'oidc-provider';
import { smartStyleUrl } from '../smart/smart-style.js';
import type { SigningKeyStore, StoredSigningKey } from '../tokens/key-store.js';
import { looksLikeJwt, type JwtAccessTokens } from './jwt-access-tokens.js';
import { grantedOpenIdScope, joinScopes } from './granted-scope.js';
import { OIDC_PREFIX } from './mount.js';
import { OPENID_SCOPE_CLAIM } from './configuration.js';
import { endSessionGrants } from './session-grants.js';
import { fillTokenRequest, unknownRefreshToken } from './token-request-defaults.js';

type Ctx = any;
const RECHECK_MS = 60_000;

/**
 * OpenID Connect Core §11 grants offline_access only with prompt=consent;
 * SMART apps ask for offline_access without it (SMART App Launch 2.0,
 * "offline_access"). Socle shows its consent page for every new grant anyway,
 * so such a request is read as asking for consent.
 */
function askConsentForOfflineAccess(ctx: Ctx): void {
  const query = { ...ctx.query } as Record<string, string>;
  if (typeof query.scope !== 'string' || !query.scope.split(' ').includes('offline_access')) return;
  const prompts = typeof query.prompt === 'string' ? query.prompt.split(' ').filter((p) => p !== '') : [];
  if (prompts.includes('consent') || prompts.includes('none')) return;
  ctx.query = { ...query, prompt: [...prompts, 'consent'].join(' ') };
  // The provider finds its mount point by comparing the two URLs (mount.ts): keep them in step.
  ctx.req.originalUrl = `${OIDC_PREFIX}${ctx.url as string}`;
}

/**
 * The token response's `scope`: "scope of access authorized" (SMART App Launch
 * 2.0, token response; RFC 6749 §5.1). With resource indicators oidc-provider
 * answers with the access token's scopes alone, the FHIR ones; the OpenID and
 * SMART scopes granted with them (openid, fhirUser, launch/patient,
 * offline_access) are authorized too, and apps look for them there (SMART's
 * JavaScript client refreshes only if offline_access or online_access is listed).
 * Client credentials have no grant and keep the provider's answer.
 */
function grantedScope(ctx: Ctx): string | undefined {
  const openid = grantedOpenIdScope(ctx);
  return openid === undefined ? undefined : joinScopes(openid, ctx.body.scope as string | undefined);
}

/**
 * SMART App Launch 2.0, token introspection: `scope` as in the token response
 * (the access token carries its OpenID scopes apart, configuration.ts), and
 * the ID token's `fhirUser`, an absolute URL (the access token's is relative,
 * as the FHIR layer reads it). Pro Santé Connect's introspection names the
 * professional of an access token by SubjectNameID (idNat_PS).
 */
function introspectionFields(body: Record<string, unknown>, fhirBase: string): void {
  const { [OPENID_SCOPE_CLAIM]: openid, ...rest } = body;
  if (typeof openid === 'string') rest.scope = joinScopes(openid, rest.scope as string | undefined);
  if (typeof rest.fhirUser === 'string' && !/^https?:/.test(rest.fhirUser)) rest.fhirUser = `${fhirBase}/${rest.fhirUser}`;
  if (typeof rest.idnat === 'string') rest.SubjectNameID = rest.idnat;
  for (const key of Object.keys(body)) delete body[key];
  Object.assign(body, rest);
}

/** The routes where a client authenticates (RFC 6749 §2.3, RFC 7009 §2.1, RFC 7662 §2.1). */
const CLIENT_AUTH_ROUTES: ReadonlySet<string> = new Set(['token', 'introspection', 'revocation']);

/**
 * RFC 6749 §5.2's codes where oidc-provider answers invalid_request (it tells
 * these cases apart by description only):
 * - no client authentication at all is invalid_client ("no client
 *   authentication included"), 401 like the provider's other invalid_client;
 *   but a refresh token that names no client Socle knows (fillTokenRequest
 *   found nothing: unknown, expired, revoked) is the grant's fault, invalid_grant;
 * - a grant type the client is not registered for is unauthorized_client.
 */
function rfcErrorCode(ctx: Ctx): void {
  const body = ctx.body as { error?: string; error_description?: string } | undefined;
  if (body?.error !== 'invalid_request' || !CLIENT_AUTH_ROUTES.has(ctx.oidc.route)) return;
  if (body.error_description === 'no client authentication mechanism provided') {
    if (ctx.oidc.route === 'token' && unknownRefreshToken(ctx)) {
      ctx.body = { error: 'invalid_grant', error_description: 'refresh token not found' };
    } else {
      ctx.status = 401;
      ctx.body = { ...body, error: 'invalid_client' };
    }
  } else if (ctx.oidc.route === 'token' && body.error_description === 'requested grant type is not allowed for this client') {
    ctx.body = { ...body, error: 'unauthorized_client' };
  }
}

export class ProviderHost {
  private current: { provider: Provider; identity: string; checkedAt: number } | undefined;
  private building: Promise<Provider> | undefined;

  constructor(
    private readonly keyStore: SigningKeyStore,
    /** The issuer: known for sure only once the server listens (a provider made before, e.g. while seeding, is replaced). */
    private readonly issuer: () => string,
    private readonly create: (keys: readonly StoredSigningKey[]) => Promise<Provider>,
    private readonly jwtTokens: JwtAccessTokens,
    private readonly now: () => number,
    /** The FHIR base, for absolute fhirUser URLs in introspection. */
    private readonly fhirBase: () => string,
  ) {}

  /** The provider for the current keys (built or rebuilt as needed). */
  async provider(): Promise<Provider> {
    const current = this.current;
    if (current && current.provider.issuer === this.issuer() && this.now() - current.checkedAt < RECHECK_MS) return current.provider;
    this.building ??= this.refresh().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Forgets the cached keys: the next request reads them again (after a rotation). */
  invalidate(): void {
    if (this.current) this.current.checkedAt = -Infinity;
  }

  private async refresh(): Promise<Provider> {
    const keys = await this.keyStore.activeKeys();
    const identity = `${this.issuer()} ${keys.map((k) => k.kid).join(' ')}`;
    if (this.current && this.current.identity === identity) {
      this.current.checkedAt = this.now();
      return this.current.provider;
    }
    const provider = await this.create(keys);
    provider.use(async (ctx: Ctx, next: () => Promise<void>) => {
      if (ctx.method === 'GET' && ctx.path === '/auth') askConsentForOfflineAccess(ctx);
      if (ctx.method === 'POST' && ctx.path === '/token') await fillTokenRequest(ctx, provider);
      await next();
      await this.afterProvider(provider, ctx);
    });
    this.current = { provider, identity, checkedAt: this.now() };
    return provider;
  }

  private async afterProvider(provider: Provider, ctx: Ctx): Promise<void> {
    const route = ctx.oidc?.route;
    if (!route) return;
    // The user signed out: the provider revoked the session's last grant per client; every earlier one goes too.
    if (route === 'end_session_confirm' && ctx.oidc.params?.logout && ctx.status === 303) await endSessionGrants(provider, ctx.oidc.session);
    // RFC 6749 §5.1 and SMART App Launch 2.2: no-store (set by the provider) and no-cache, errors included.
    if (route === 'token') ctx.set('pragma', 'no-cache');
    if (ctx.status !== 200) {
      rfcErrorCode(ctx);
      return;
    }
    if (route === 'token' && ctx.body?.access_token) {
      // SMART App Launch 2.0 §"Response": the launch context (Scopes and Launch Context: patient, encounter)
      // travels beside the access token.
      const extra = ctx.oidc.entities.AccessToken?.extra as Record<string, unknown> | undefined;
      if (typeof extra?.patient === 'string') ctx.body.patient = extra.patient;
      if (typeof extra?.encounter === 'string') ctx.body.encounter = extra.encounter;
      // Socle has no EHR screen around the app to show who the patient is: the app must (context-banner).
      if (typeof extra?.patient === 'string') ctx.body.need_patient_banner = true;
      // A user's app may take the platform's look (context-style); a system client has no screen.
      if (ctx.oidc.entities.Grant) ctx.body.smart_style_url = smartStyleUrl(provider.issuer);
      const scope = grantedScope(ctx);
      if (scope) ctx.body.scope = scope;
      return;
    }
    const token = ctx.oidc.params?.token;
    const clientId = ctx.oidc.client?.clientId as string | undefined;
    if (!clientId) return;
    if (route === 'introspection') {
      if (looksLikeJwt(token) && ctx.body?.active === false && ctx.oidc.client.clientAuthMethod !== 'none') {
        const payload = await this.jwtTokens.verify(token, provider.issuer, clientId);
        if (payload) ctx.body = { active: true, token_type: 'Bearer', ...payload };
      }
      if (ctx.body?.active === true) introspectionFields(ctx.body, this.fhirBase());
    } else if (route === 'revocation' && looksLikeJwt(token)) {
      // RFC 7009 §2.1: a valid token issued to another client is refused, and the client told so.
      const owner = await this.jwtTokens.clientOf(token, provider.issuer);
      if (owner !== undefined && owner !== clientId) {
        ctx.status = 400;
        ctx.body = { error: 'invalid_request', error_description: 'this token does not belong to you' };
        return;
      }
      await this.jwtTokens.revoke(token, provider.issuer, clientId);
    }
  }
}
