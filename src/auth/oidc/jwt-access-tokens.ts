/**
 * What oidc-provider does not do for JWT access tokens, which it issues but
 * does not store (they are self-contained, RFC 9068): introspection (RFC 7662)
 * and revocation (RFC 7009). Revoking one records its `jti` until it expires;
 * introspecting one verifies it against the provider's keys and that record.
 * Both answer only the client the token was issued to (another client's
 * revocation is refused, RFC 7009 §2.1, as the provider refuses it for its
 * own tokens). The FHIR layer's bearer
 * check asks isRevoked() too.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Collection } from '../../storage/collection.js';
import { SIGNING_ALGORITHM } from '../tokens/key-store.js';

export interface RevokedToken {
  readonly expiresAt: number;
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export class JwtAccessTokens {
  constructor(
    private readonly revoked: Collection<RevokedToken>,
    private readonly jwks: () => Promise<JSONWebKeySet>,
    private readonly now: () => number,
    /** Whether the grant a token names (configuration.ts, GRANT_CLAIM) still exists; absent, every grant does. */
    readonly grantExists: (grantId: string) => Promise<boolean> = async () => true,
    /** Whether the login session a token names (configuration.ts, SESSION_CLAIM) still lasts; absent, every one does. */
    readonly sessionLasts: (sessionUid: string) => Promise<boolean> = async () => true,
  ) {}

  /** Whether the grant and the login session a token was issued under (when it names them) are still there. */
  async grantLive(grantId: string | undefined, sessionUid: string | undefined): Promise<boolean> {
    if (grantId !== undefined && !(await this.grantExists(grantId))) return false;
    return sessionUid === undefined || this.sessionLasts(sessionUid);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const entry = await this.revoked.get(jti);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  /** The verified claims of a token this provider issued to `clientId` and that is still valid; undefined otherwise. */
  async verify(token: string, issuer: string, clientId: string): Promise<JWTPayload | undefined> {
    const payload = await this.valid(token, issuer);
    return payload?.client_id === clientId ? payload : undefined;
  }

  /** The client a still valid token of this provider was issued to; undefined for any other token. */
  async clientOf(token: string, issuer: string): Promise<string | undefined> {
    const clientId = (await this.valid(token, issuer))?.client_id;
    return typeof clientId === 'string' ? clientId : undefined;
  }

  private async valid(token: string, issuer: string): Promise<JWTPayload | undefined> {
    if (!JWT_SHAPE.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(await this.jwks()), { issuer, algorithms: [SIGNING_ALGORITHM], typ: 'at+jwt' });
      if (typeof payload.jti !== 'string' || (await this.isRevoked(payload.jti))) return undefined;
      if (!(await this.grantLive(stringClaim(payload.socle_grant), stringClaim(payload.socle_session)))) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  /** Revokes a token issued to `clientId` (an invalid or unknown token is ignored: RFC 7009 §2.2 answers 200 regardless). */
  async revoke(token: string, issuer: string, clientId: string): Promise<void> {
    const payload = await this.verify(token, issuer, clientId);
    if (!payload?.jti || payload.exp === undefined) return;
    await this.revoked.put(payload.jti, { expiresAt: payload.exp * 1000 });
  }
}

export const stringClaim = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Whether a token parameter looks like one of our JWTs (cheap pre-check before verifying). */
export function looksLikeJwt(token: unknown): token is string {
  if (typeof token !== 'string' || !JWT_SHAPE.test(token)) return false;
  try {
    return typeof decodeJwt(token).jti === 'string';
  } catch {
    return false;
  }
}
