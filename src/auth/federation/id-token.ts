/**
 * Validation of the external provider's ID token, as OpenID Connect Core
 * §3.1.3.7 lists it: signature with the provider's keys (or, for HS*, the
 * client secret, §10.1), iss, aud (and azp when several audiences), exp and
 * iat, nonce (§3.1.2.1, replay), and the authentication level (acr, §2) when
 * Socle requires one — Pro Santé Connect's eidas1.
 */
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { fail } from '../../core/errors.js';
import type { UpstreamProvider } from './upstream-discovery.js';
import type { UpstreamSettings } from './upstream-settings.js';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const SYMMETRIC = ['HS256', 'HS384', 'HS512'];
/** Clocks of two servers differ a little; more would let old tokens through. */
export const CLOCK_TOLERANCE_S = 30;

export interface IdTokenClaims extends JWTPayload {
  readonly sub: string;
  readonly nonce?: string;
  readonly acr?: string;
  readonly azp?: string;
}

/**
 * The algorithms Socle accepts from this provider for `use`: never "none",
 * only those it announces (Discovery §3), RS256 when it announces none
 * (Core §3.1.3.7 item 7's default).
 */
function acceptedAlgorithms(provider: UpstreamProvider, use: 'id_token' | 'userinfo'): string[] {
  const metadata = provider.metadata;
  const announced = (use === 'userinfo' ? metadata.userinfo_signing_alg_values_supported : undefined) ?? metadata.id_token_signing_alg_values_supported ?? ['RS256'];
  return announced.filter((alg) => ASYMMETRIC.includes(alg) || SYMMETRIC.includes(alg));
}

/**
 * Verifies a JWS from the provider (ID token, or a signed userinfo answer):
 * the key is the client secret for HS* (§10.1), else the provider's JWKS.
 * Throws jose's errors; callers turn them into catalogued refusals.
 */
export async function verifyProviderJws(token: string, use: 'id_token' | 'userinfo', settings: UpstreamSettings, provider: UpstreamProvider, options: { audience?: string; issuer?: string; requiredClaims?: string[] }) {
  const { alg } = decodeProtectedHeader(token);
  const algorithms = acceptedAlgorithms(provider, use);
  if (alg === undefined || !algorithms.includes(alg)) throw new joseErrors.JOSEAlgNotAllowed(`alg ${String(alg)} not accepted`);
  const verifyOptions = { algorithms, clockTolerance: CLOCK_TOLERANCE_S, ...options };
  if (SYMMETRIC.includes(alg)) return jwtVerify(token, new TextEncoder().encode(settings.clientSecret), verifyOptions);
  return jwtVerify(token, provider.keys, verifyOptions);
}

/** A reason safe to show and log: which check failed, never the token or its claims. */
export function joseReason(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim}: ${error.reason}`;
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key matches its kid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not accepted';
  if (error instanceof joseErrors.JOSEError) return error.code;
  return 'not a JWT';
}

export async function validateIdToken(idToken: string, expected: { nonce: string }, settings: UpstreamSettings, provider: UpstreamProvider): Promise<IdTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await verifyProviderJws(idToken, 'id_token', settings, provider, {
      issuer: provider.metadata.issuer,
      audience: settings.clientId,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    // A JWKS that cannot be fetched is the provider's failure, not the token's.
    if (error instanceof joseErrors.JOSEError && (error.code === 'ERR_JWKS_TIMEOUT' || error.code === 'ERR_JWKS_INVALID')) {
      throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: 'jwks' });
    }
    if (error instanceof TypeError) throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: 'jwks' });
    throw fail('auth.upstream-id-token-invalid', { reason: joseReason(error) });
  }
  const claims = payload as IdTokenClaims;
  if (typeof claims.sub !== 'string' || claims.sub === '') throw fail('auth.upstream-id-token-invalid', { reason: 'no sub' });
  // §3.1.3.7 items 4–5: with several audiences, azp must be this client.
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== settings.clientId) {
    throw fail('auth.upstream-id-token-invalid', { reason: 'azp is not this client' });
  }
  if (claims.azp !== undefined && claims.azp !== settings.clientId) throw fail('auth.upstream-id-token-invalid', { reason: 'azp is not this client' });
  // §3.1.3.7 item 11: the nonce Socle sent, or the token answers another login (replay).
  if (claims.nonce !== expected.nonce) throw fail('auth.upstream-id-token-invalid', { reason: 'nonce mismatch' });
  if (settings.acr !== undefined && claims.acr !== settings.acr) {
    throw fail('auth.upstream-acr-insufficient', { expected: settings.acr, actual: typeof claims.acr === 'string' ? claims.acr : '-' });
  }
  return claims;
}
