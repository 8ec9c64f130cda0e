/**
 * Socle's access tokens: JWTs (RFC 9068, "JWT Profile for OAuth 2.0 Access
 * Tokens") signed with the provider's keys (key-store.ts), carrying the
 * SMART and Pro Santé Connect context Socle needs to decide on a request
 * without a lookup. The OpenID provider issues them with these claims; `socle
 * token` mints them directly; the HTTP layer verifies them and turns them into
 * a Principal.
 */
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import type { Principal, PrincipalKind } from '../../core/principal.js';
import { publicJwk, SIGNING_ALGORITHM, type StoredSigningKey } from './key-store.js';

/** Claims beyond RFC 9068's (iss, sub, aud, exp, iat, jti, client_id, scope). */
export interface SocleTokenClaims {
  /** Which kind of principal the token stands for. */
  readonly socle_kind: PrincipalKind;
  readonly fhirUser?: string;
  /** SMART launch context: the patient in context. */
  readonly patient?: string;
  /** The professional's idNat_PS (Pro Santé Connect's SubjectNameID). */
  readonly idnat?: string;
  readonly name?: string;
}

export interface MintRequest extends SocleTokenClaims {
  readonly subject: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export async function mintAccessToken(signingKey: StoredSigningKey, request: MintRequest): Promise<string> {
  const key = await importJWK(signingKey.jwk, SIGNING_ALGORITHM);
  const claims: Record<string, unknown> = {
    client_id: request.clientId,
    scope: request.scopes.join(' '),
    socle_kind: request.socle_kind,
    ...(request.fhirUser ? { fhirUser: request.fhirUser } : {}),
    ...(request.patient ? { patient: request.patient } : {}),
    ...(request.idnat ? { idnat: request.idnat } : {}),
    ...(request.name ? { name: request.name } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signingKey.kid, typ: 'at+jwt' })
    .setIssuer(request.issuer)
    .setSubject(request.subject)
    .setAudience(request.audience)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${request.ttlSeconds}s`)
    .sign(key);
}

export function jwksOf(keys: readonly StoredSigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => publicJwk(k.jwk)) as JSONWebKeySet['keys'] };
}

const KINDS: ReadonlySet<string> = new Set(['practitioner', 'patient', 'system', 'operator']);

/**
 * Verifies signature, issuer, audience and expiry; returns the Principal, or
 * throws (jose's errors) when the token is not acceptable.
 */
export async function verifyAccessToken(
  token: string, keys: JSONWebKeySet, expected: { issuer: string; audience?: string | readonly string[] },
): Promise<Principal> {
  const { payload } = await jwtVerify(token, createLocalJWKSet(keys), {
    issuer: expected.issuer,
    ...(expected.audience ? { audience: expected.audience as string | string[] } : {}),
    algorithms: [SIGNING_ALGORITHM],
  });
  const kind = payload.socle_kind;
  if (typeof payload.sub !== 'string' || typeof kind !== 'string' || !KINDS.has(kind)) throw new Error('token without a Socle subject');
  const text = (name: string): string | undefined => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
  const fhirUser = text('fhirUser');
  const patient = text('patient');
  const nationalId = text('idnat');
  const display = text('name');
  return {
    kind: kind as PrincipalKind,
    subject: payload.sub,
    clientId: text('client_id') ?? text('azp') ?? '',
    scopes: (text('scope') ?? '').split(' ').filter((s) => s !== ''),
    issuer: expected.issuer,
    ...(fhirUser ? { fhirUser } : {}),
    ...(patient ? { patient } : {}),
    ...(nationalId ? { nationalId } : {}),
    ...(display ? { display } : {}),
  };
}
