/**
 * Bearer authentication of the FHIR API (RFC 6750): the Authorization header
 * becomes a Principal, or the request is refused with 401 and a
 * WWW-Authenticate challenge (§3: no error code when no token was sent,
 * error="invalid_token" when one was refused).
 *
 * Socle's own tokens (issuer <origin>/oidc, audience <origin>/fhir) are
 * verified with the signing keys of the key store, kept in memory and
 * re-read every minute or when a token names an unknown key (a rotation by
 * another process); tokens of configured trusted issuers with their JWKS
 * (trusted-issuers.ts). A verified token is cached for a few seconds (at
 * most until it expires): no database lookup and no signature check per
 * request, and a revoked token (RFC 7009) stops working within
 * REVOCATION_RECHECK_MS, when the cache asks again.
 */
import { decodeJwt, errors as joseErrors, type JSONWebKeySet } from 'jose';
import { fail, isFhirError, type FhirError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { jwksOf, verifyAccessToken } from '../tokens/access-token.js';
import type { SigningKeyStore } from '../tokens/key-store.js';
import { bearerChallenge } from '../policy/policy-decision-point.js';
import { TokenCache } from './token-cache.js';
import type { TrustedIssuers } from './trusted-issuers.js';

const KEYS_REFRESH_MS = 60_000;
const UNKNOWN_KID_COOLDOWN_MS = 5_000;
/** How long a verified token is trusted before its signature and revocation are checked again. */
export const REVOCATION_RECHECK_MS = 5_000;

export interface BearerOptions {
  readonly keys: SigningKeyStore;
  /** Issuer and audience of Socle's own tokens (they depend on the address the server listens on). */
  readonly endpoints: () => { readonly issuer: string; readonly audience: string };
  readonly trusted: TrustedIssuers;
  readonly now: () => number;
  /** Whether the provider revoked the token with this jti, or its grant (auth module); absent, nothing is revoked. */
  readonly isRevoked?: (jti: string, grantId?: string, sessionUid?: string) => Promise<boolean>;
}

function unauthorized(error: FhirError, code?: 'invalid_token'): FhirError {
  return fail(error.issues[0]?.message as 'auth.token-missing', error.issues[0]?.params ?? {}, {
    headers: { 'www-authenticate': bearerChallenge(code, code ? 'the access token is not acceptable' : undefined) },
  });
}

export class BearerAuthenticator {
  private readonly cache = new TokenCache();
  private jwks: { set: JSONWebKeySet; loadedAt: number } | undefined;
  private lastForcedReload = 0;

  constructor(private readonly options: BearerOptions) {}

  /** The principal of an Authorization header value; throws a 401 (or 403 for an unmapped professional) FhirError. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = authorization === undefined ? null : /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
    if (!match) {
      if (authorization === undefined || authorization.trim() === '') throw unauthorized(fail('auth.token-missing'));
      throw unauthorized(fail('auth.token-invalid', { reason: 'not a Bearer token' }), 'invalid_token');
    }
    const token = match[1] as string;
    const now = this.options.now();
    const cached = this.cache.get(token, now);
    if (cached) return cached;
    try {
      const { principal, expiresAt } = await this.verify(token);
      this.cache.set(token, principal, Math.min(expiresAt, now + REVOCATION_RECHECK_MS));
      return principal;
    } catch (error) {
      if (isFhirError(error)) throw error.status === 401 ? unauthorized(error, 'invalid_token') : error;
      if (error instanceof joseErrors.JWTExpired) throw unauthorized(fail('auth.token-expired'), 'invalid_token');
      // The reason is jose's error code: never the token's content.
      const reason = (error as { code?: string }).code ?? 'ERR_INVALID';
      throw unauthorized(fail('auth.token-invalid', { reason }), 'invalid_token');
    }
  }

  private async verify(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    const claims = decodeJwt(token);
    const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const own = this.options.endpoints();
    if (issuer !== own.issuer) {
      if (!this.options.trusted.has(issuer)) throw fail('auth.token-invalid', { reason: 'issuer not trusted' });
      const { principal } = await this.options.trusted.verify(token, issuer);
      return { principal, expiresAt };
    }
    const grantId = typeof claims.socle_grant === 'string' ? claims.socle_grant : undefined;
    const sessionUid = typeof claims.socle_session === 'string' ? claims.socle_session : undefined;
    if (typeof claims.jti === 'string' && (await this.options.isRevoked?.(claims.jti, grantId, sessionUid))) throw fail('auth.token-invalid', { reason: 'revoked' });
    try {
      return { principal: await verifyAccessToken(token, await this.keys(false), { issuer: own.issuer, audience: own.audience }), expiresAt };
    } catch (error) {
      // A key this process has not seen yet (rotated elsewhere): read the keys again, at most every few seconds.
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || this.options.now() - this.lastForcedReload < UNKNOWN_KID_COOLDOWN_MS) throw error;
      this.lastForcedReload = this.options.now();
      return { principal: await verifyAccessToken(token, await this.keys(true), { issuer: own.issuer, audience: own.audience }), expiresAt };
    }
  }

  private async keys(force: boolean): Promise<JSONWebKeySet> {
    const now = this.options.now();
    if (!force && this.jwks && now - this.jwks.loadedAt < KEYS_REFRESH_MS) return this.jwks.set;
    this.jwks = { set: jwksOf(await this.options.keys.activeKeys()), loadedAt: now };
    return this.jwks.set;
  }
}
