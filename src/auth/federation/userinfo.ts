/**
 * The professional's claims from the provider's UserInfo endpoint (OpenID
 * Connect Core §5.3). Pro Santé Connect puts the national identifier
 * (SubjectNameID) and the practices (SubjectRefPro) there, not in the ID
 * token. The answer is JSON, or a signed JWT (application/jwt, §5.3.2) when
 * the client is registered so — Pro Santé Connect can do either.
 */
import { fail, isFhirError } from '../../core/errors.js';
import { joseReason, verifyProviderJws } from './id-token.js';
import { upstreamFetch, type UpstreamProvider } from './upstream-discovery.js';
import type { UpstreamSettings } from './upstream-settings.js';

export type UserinfoClaims = Readonly<Record<string, unknown>> & { readonly sub: string };

const MAX_BYTES = 256 * 1024;

export async function fetchUserinfo(accessToken: string, idTokenSub: string, settings: UpstreamSettings, provider: UpstreamProvider): Promise<UserinfoClaims> {
  const endpoint = provider.metadata.userinfo_endpoint;
  if (endpoint === undefined) throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: 'no userinfo_endpoint' });
  const response = await upstreamFetch(settings, endpoint, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json, application/jwt' } });
  if (response.status === 401 || response.status === 403) throw fail('auth.upstream-userinfo-invalid', { reason: `HTTP ${response.status}` });
  if (!response.ok) throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: `userinfo HTTP ${response.status}` });
  const text = await response.text();
  if (text.length > MAX_BYTES) throw fail('auth.upstream-userinfo-invalid', { reason: 'too large' });
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const claims = mediaType === 'application/jwt' ? await signedClaims(text.trim(), settings, provider) : jsonClaims(text);
  // §5.3.2: the sub of UserInfo MUST equal the ID token's, else the answer is not about this user.
  if (claims.sub !== idTokenSub) throw fail('auth.upstream-userinfo-invalid', { reason: 'sub differs from the ID token' });
  return claims;
}

function jsonClaims(text: string): UserinfoClaims {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('auth.upstream-userinfo-invalid', { reason: 'neither JSON nor a JWT' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('auth.upstream-userinfo-invalid', { reason: 'not a JSON object' });
  return withSub(value as Record<string, unknown>);
}

/**
 * A signed answer: signature checked like the ID token's; iss and aud, which
 * §5.3.2 says it SHOULD carry, are checked when present. An encrypted answer
 * (JWE, five parts) is refused: Socle registers no encryption key.
 */
async function signedClaims(token: string, settings: UpstreamSettings, provider: UpstreamProvider): Promise<UserinfoClaims> {
  if (token.split('.').length !== 3) throw fail('auth.upstream-userinfo-invalid', { reason: 'encrypted or malformed JWT' });
  try {
    const { payload } = await verifyProviderJws(token, 'userinfo', settings, provider, {});
    if (payload.iss !== undefined && payload.iss !== provider.metadata.issuer) throw fail('auth.upstream-userinfo-invalid', { reason: 'iss differs' });
    const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (audiences.length > 0 && !audiences.includes(settings.clientId)) throw fail('auth.upstream-userinfo-invalid', { reason: 'aud is not this client' });
    return withSub(payload as Record<string, unknown>);
  } catch (error) {
    if (isFhirError(error)) throw error;
    throw fail('auth.upstream-userinfo-invalid', { reason: joseReason(error) });
  }
}

function withSub(value: Record<string, unknown>): UserinfoClaims {
  if (typeof value.sub !== 'string' || value.sub === '') throw fail('auth.upstream-userinfo-invalid', { reason: 'no sub' });
  return value as UserinfoClaims;
}
