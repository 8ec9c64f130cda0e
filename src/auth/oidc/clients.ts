/**
 * Applications registered by administrators (issue #4: "public apps with PKCE,
 * confidential apps with a secret or a JWKS"), stored where the provider's
 * adapter reads clients ("auth.oidc.Client"). Registration checks the request
 * against OAuth 2.0 Dynamic Client Registration's metadata (RFC 7591 §2) and
 * the provider's own validation, and keeps least privilege: a client may only
 * ever obtain the scopes it is registered for (configuration.ts), a public
 * client never client credentials.
 */
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import { fail } from '../../core/errors.js';
import type { Collection } from '../../storage/collection.js';
import { OIDC_SCOPES, parseResourceScope, splitScope } from '../smart/scopes.js';
import { KEY_ALGORITHMS } from '../tokens/key-store.js';
import type { StoredModel } from './adapter.js';

type Metadata = Record<string, unknown>;

/**
 * How clients authenticate at the token endpoint: what registration accepts,
 * the provider enables and both discovery documents advertise (one list, so
 * they cannot disagree). client_secret_jwt is left out: a shared secret as an
 * HMAC key adds nothing over client_secret_basic and SMART does not ask for it.
 */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
/**
 * Signature algorithms of private_key_jwt assertions. SMART App Launch 2.0
 * ("client-confidential-asymmetric") and Backend Services: servers SHALL
 * support RS384 and ES384; the others are common in Europe's PKIs.
 */
export const CLIENT_ASSERTION_ALGS = ['ES256', 'ES384', 'RS256', 'RS384', 'PS256'] as const;
const AUTH_METHODS: ReadonlySet<string> = new Set(TOKEN_ENDPOINT_AUTH_METHODS);
/** What ID tokens may be signed with (id_token_signed_response_alg): one key of each in the key store, RS256 the default. */
export const ID_TOKEN_ALGS: readonly string[] = KEY_ALGORITHMS;
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);
const OIDC_SET: ReadonlySet<string> = new Set(OIDC_SCOPES);
/** Client metadata (oidc-provider extraClientMetadata) listing the FHIR scopes a client is registered for. */
export const RESOURCE_SCOPES = 'socle_resource_scopes';

/** Every scope a client is registered for: its OpenID scopes and its FHIR scopes. */
export function registeredScopes(client: Record<string, unknown> | undefined): string[] {
  const resource = client?.[RESOURCE_SCOPES] ?? client?.socleResourceScopes;
  return [...splitScope(client?.scope as string | undefined), ...splitScope(typeof resource === 'string' ? resource : undefined)];
}

/** Demo clients (documented secrets) carry this prefix: production refuses them. */
export const DEMO_CLIENT_PREFIX = 'socle-demo-';

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length <= 2000)) throw fail('auth.client-invalid', { reason: `${field} must be a list of strings` });
  return value as string[];
}

/** The registration request checked and completed (client_id, secret when confidential). */
export function registrationMetadata(input: Metadata, fixed: { clientId?: string; secret?: string } = {}): Metadata {
  const name = input.client_name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw fail('auth.client-invalid', { reason: 'client_name is required' });
  const method = input.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !AUTH_METHODS.has(method)) throw fail('auth.client-invalid', { reason: `token_endpoint_auth_method must be one of ${[...AUTH_METHODS].join(', ')}` });
  const grantTypes = stringList(input.grant_types ?? ['authorization_code', 'refresh_token'], 'grant_types');
  if (grantTypes.length === 0 || grantTypes.some((g) => !GRANT_TYPES.has(g))) throw fail('auth.client-invalid', { reason: `grant_types must be among ${[...GRANT_TYPES].join(', ')}` });
  if (method === 'none' && grantTypes.includes('client_credentials')) throw fail('auth.client-invalid', { reason: 'a public client cannot use client_credentials' });
  const scopes = splitScope(typeof input.scope === 'string' ? input.scope : '');
  const unknown = scopes.filter((s) => !OIDC_SET.has(s) && !parseResourceScope(s));
  if (scopes.length === 0 || unknown.length > 0) throw fail('auth.client-invalid', { reason: `scope must list known scopes${unknown.length ? ` (unknown: ${unknown.join(' ').slice(0, 200)})` : ''}` });
  if (method === 'private_key_jwt' && input.jwks === undefined && input.jwks_uri === undefined) throw fail('auth.client-invalid', { reason: 'private_key_jwt needs jwks or jwks_uri' });
  const idTokenAlg = input.id_token_signed_response_alg;
  if (idTokenAlg !== undefined && (typeof idTokenAlg !== 'string' || !ID_TOKEN_ALGS.includes(idTokenAlg))) {
    throw fail('auth.client-invalid', { reason: `id_token_signed_response_alg must be one of ${ID_TOKEN_ALGS.join(', ')}` });
  }
  const oidcScopes = scopes.filter((s) => OIDC_SET.has(s));
  const resourceScopes = scopes.filter((s) => !OIDC_SET.has(s));
  const usesCode = grantTypes.includes('authorization_code');
  const redirectUris = stringList(input.redirect_uris, 'redirect_uris');
  if (usesCode && redirectUris.length === 0) throw fail('auth.client-invalid', { reason: 'redirect_uris is required for authorization_code' });
  const confidentialSecret = method === 'client_secret_basic' || method === 'client_secret_post';
  return {
    client_id: fixed.clientId ?? `app-${randomBytes(9).toString('base64url')}`,
    ...(confidentialSecret ? { client_secret: fixed.secret ?? randomBytes(32).toString('base64url') } : {}),
    client_name: name.trim(),
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
    response_types: usesCode ? ['code'] : [],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: stringList(input.post_logout_redirect_uris, 'post_logout_redirect_uris'),
    // The provider knows its own (OpenID) scopes only; the FHIR scopes the client may obtain go in our own metadata.
    ...(oidcScopes.length > 0 ? { scope: oidcScopes.join(' ') } : {}),
    ...(resourceScopes.length > 0 ? { [RESOURCE_SCOPES]: resourceScopes.join(' ') } : {}),
    ...(input.jwks !== undefined ? { jwks: input.jwks } : {}),
    ...(typeof input.jwks_uri === 'string' ? { jwks_uri: input.jwks_uri } : {}),
    ...(typeof input.token_endpoint_auth_signing_alg === 'string' ? { token_endpoint_auth_signing_alg: input.token_endpoint_auth_signing_alg } : {}),
    ...(typeof idTokenAlg === 'string' ? { id_token_signed_response_alg: idTokenAlg } : {}),
  };
}

export class ClientRegistry {
  constructor(
    private readonly clients: Collection<StoredModel>,
    private readonly provider: () => Promise<Provider>,
  ) {}

  /** Validates and stores a client; returns its metadata with the secret (shown once). */
  async register(input: Metadata, fixed: { clientId?: string; secret?: string } = {}): Promise<Metadata> {
    const metadata = registrationMetadata(input, fixed);
    const provider = await this.provider();
    try {
      await (provider.Client as unknown as { validate(m: Metadata): Promise<void> }).validate(metadata);
    } catch (error) {
      throw fail('auth.client-invalid', { reason: (error as { error_description?: string }).error_description ?? 'invalid metadata' });
    }
    await this.clients.put(metadata.client_id as string, { payload: metadata });
    return metadata;
  }

  /** Registered clients without their secrets. */
  async list(): Promise<Metadata[]> {
    return (await this.clients.scan(undefined, 1000)).map((e) => {
      const { client_secret: _secret, ...rest } = e.value.payload;
      return rest;
    });
  }

  async hasDemoClients(): Promise<boolean> {
    return (await this.clients.scan(undefined, 1000)).some((e) => e.key.startsWith(DEMO_CLIENT_PREFIX));
  }
}
