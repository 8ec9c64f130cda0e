/**
 * What Socle learns about the external provider: its metadata (OpenID Connect
 * Discovery 1.0 §4) and its signing keys. Fetched on first use, not at start,
 * so that Socle starts even when the provider is down; a failed fetch is
 * retried at the next login.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { fail } from '../../core/errors.js';
import type { UpstreamSettings } from './upstream-settings.js';

export interface UpstreamMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly userinfo_endpoint?: string;
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly userinfo_signing_alg_values_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
}

export interface UpstreamProvider {
  readonly metadata: UpstreamMetadata;
  /** Keys of jwks_uri; jose refetches them when a token names an unknown kid (key rotation). */
  readonly keys: JWTVerifyGetKey;
}

const TIMEOUT_MS = 10_000;

/**
 * fetch towards the provider: a network failure or a timeout becomes
 * auth.upstream-unavailable, with the error's code as reason (never a URL
 * with parameters, never a body).
 */
export async function upstreamFetch(settings: UpstreamSettings, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: cause?.code ?? (error as Error).name });
  }
}

function isHttpsOrLocal(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    // Plain http only towards this machine (tests, a provider beside Socle).
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/** Reads and checks the discovery document (Discovery §4.2, §4.3: issuer identical to the configured one). */
export async function discover(settings: UpstreamSettings): Promise<UpstreamProvider> {
  const response = await upstreamFetch(settings, settings.discoveryUrl, { headers: { accept: 'application/json' } });
  if (!response.ok) throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: `discovery HTTP ${response.status}` });
  let metadata: Partial<UpstreamMetadata>;
  try {
    metadata = (await response.json()) as Partial<UpstreamMetadata>;
  } catch {
    throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: 'discovery is not JSON' });
  }
  if (metadata.issuer !== settings.issuer) {
    throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: `discovery names another issuer (${String(metadata.issuer)})` });
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (!isHttpsOrLocal(metadata[name])) throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: `discovery lacks a usable ${name}` });
  }
  if (metadata.userinfo_endpoint !== undefined && !isHttpsOrLocal(metadata.userinfo_endpoint)) {
    throw fail('auth.upstream-unavailable', { issuer: settings.issuer, reason: 'discovery has an unusable userinfo_endpoint' });
  }
  const checked = metadata as UpstreamMetadata;
  return { metadata: checked, keys: createRemoteJWKSet(new URL(checked.jwks_uri), { timeoutDuration: TIMEOUT_MS }) };
}

/** Metadata older than this is read again, so that a provider's new endpoints are picked up without a restart. */
const METADATA_TTL_MS = 60 * 60_000;

/** Discovery shared by every login, read again hourly; forgotten on failure so that the next login tries again. */
export function cachedDiscovery(settings: UpstreamSettings, now: () => number = Date.now): () => Promise<UpstreamProvider> {
  let pending: Promise<UpstreamProvider> | undefined;
  let fetchedAt = 0;
  return () => {
    if (pending && now() - fetchedAt > METADATA_TTL_MS) pending = undefined;
    if (!pending) {
      fetchedAt = now();
      pending = discover(settings).catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    }
    return pending;
  };
}
