/**
 * Socle as a relying party of an external OpenID Connect provider (Pro Santé
 * Connect, a Keycloak realm): the authorization code flow of OpenID Connect
 * Core §3.1 with PKCE S256 (RFC 7636), a confidential client authenticated at
 * the token endpoint by client_secret_basic or client_secret_post (Core §9).
 * The browser only ever carries the code; the secret stays on the server
 * (Pro Santé Connect requires it).
 */
import { createHash } from 'node:crypto';
import { fail } from '../../core/errors.js';
import { validateIdToken, type IdTokenClaims } from './id-token.js';
import { cachedDiscovery, upstreamFetch, type UpstreamProvider } from './upstream-discovery.js';
import type { UpstreamSettings } from './upstream-settings.js';
import { fetchUserinfo, type UserinfoClaims } from './userinfo.js';

/** A login sent to the provider and not yet back: what the callback needs to check the answer. */
export interface PendingLogin {
  /** Uid of the interaction of Socle's provider that waits for this login. */
  readonly interaction: string;
  /** Core §3.1.2.1: echoed in the ID token, ties it to this request. */
  readonly nonce: string;
  /** RFC 7636 §4.1: kept here, only its S256 challenge travels. */
  readonly codeVerifier: string;
}

export interface UpstreamIdentity {
  readonly idToken: IdTokenClaims;
  readonly userinfo: UserinfoClaims;
}

interface TokenResponse {
  readonly access_token?: unknown;
  readonly id_token?: unknown;
  readonly token_type?: unknown;
}

/** RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(code_verifier)). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class UpstreamClient {
  readonly provider: () => Promise<UpstreamProvider>;

  constructor(readonly settings: UpstreamSettings) {
    this.provider = cachedDiscovery(settings);
  }

  /** The authentication request (Core §3.1.2.1) the browser is sent to. */
  async authorizationUrl(state: string, pending: PendingLogin): Promise<string> {
    const { metadata } = await this.provider();
    const url = new URL(metadata.authorization_endpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      state,
      nonce: pending.nonce,
      code_challenge: codeChallengeOf(pending.codeVerifier),
      code_challenge_method: 'S256',
    };
    // Core §3.1.2.1: acr_values is a voluntary request; the ID token's acr is what is checked.
    if (this.settings.acr !== undefined) params.acr_values = this.settings.acr;
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.href;
  }

  /** From the code the browser brought back to the validated identity: token exchange, ID token, userinfo. */
  async finish(code: string, pending: PendingLogin): Promise<UpstreamIdentity> {
    const provider = await this.provider();
    const tokens = await this.exchange(code, pending, provider);
    const idToken = await validateIdToken(tokens.idToken, { nonce: pending.nonce }, this.settings, provider);
    const userinfo = await fetchUserinfo(tokens.accessToken, idToken.sub, this.settings, provider);
    return { idToken, userinfo };
  }

  /** Token request (Core §3.1.3.1, RFC 6749 §4.1.3) with the PKCE verifier (RFC 7636 §4.5). */
  private async exchange(code: string, pending: PendingLogin, provider: UpstreamProvider): Promise<{ idToken: string; accessToken: string }> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.settings.redirectUri, code_verifier: pending.codeVerifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.settings.tokenAuth === 'client_secret_basic') {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
      const user = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
    } else {
      form.set('client_id', this.settings.clientId);
      form.set('client_secret', this.settings.clientSecret);
    }
    const response = await upstreamFetch(this.settings, provider.metadata.token_endpoint, { method: 'POST', headers, body: form.toString() });
    let body: TokenResponse & { error?: unknown };
    try {
      body = (await response.json()) as TokenResponse & { error?: unknown };
    } catch {
      throw fail('auth.upstream-unavailable', { issuer: this.settings.issuer, reason: `token endpoint HTTP ${response.status}, not JSON` });
    }
    if (!response.ok) {
      // RFC 6749 §5.2: invalid_grant and friends are a refused login; invalid_client is Socle's misconfiguration.
      const error = typeof body.error === 'string' && /^[\w.-]{1,64}$/.test(body.error) ? body.error : `HTTP ${response.status}`;
      if (response.status >= 500 || error === 'invalid_client') throw fail('auth.upstream-unavailable', { issuer: this.settings.issuer, reason: error });
      throw fail('auth.upstream-token-refused', { error });
    }
    if (typeof body.id_token !== 'string') throw fail('auth.upstream-id-token-invalid', { reason: 'no id_token in the token response' });
    if (typeof body.access_token !== 'string') throw fail('auth.upstream-userinfo-invalid', { reason: 'no access_token in the token response' });
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') throw fail('auth.upstream-userinfo-invalid', { reason: 'token_type is not Bearer' });
    return { idToken: body.id_token, accessToken: body.access_token };
  }
}
