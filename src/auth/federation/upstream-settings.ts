/**
 * The external provider Socle federates with, read once from the
 * configuration (SOCLE_OIDC_UPSTREAM_*). Federation is off unless the issuer
 * is set; a half-configured provider is refused at start rather than at the
 * first login.
 */
import { ConfigError, type Config } from '../../config/settings.js';

export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface UpstreamSettings {
  /** The issuer exactly as the provider names itself (OpenID Connect Discovery §4.3 compares it verbatim). */
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenAuth: TokenAuthMethod;
  readonly scope: string;
  /** The acr requested and required (Pro Santé Connect: eidas1); undefined when neither. */
  readonly acr: string | undefined;
  /** Where the provider sends the browser back: registered at the provider as the client's redirect_uri. */
  readonly redirectUri: string;
}

/** The path of the callback, below Socle's public origin. */
export const CALLBACK_PATH = '/oidc-upstream/callback';
export const LOGIN_PATH = '/oidc-upstream/login';

/**
 * Undefined when SOCLE_OIDC_UPSTREAM_ISSUER is unset (federation disabled).
 * `origin` gives Socle's public origin (http(s)://host[:port]); it is read
 * when the redirect URI is needed, since the port may be known only once
 * the server listens.
 */
export function upstreamSettings(config: Config, origin: () => string): UpstreamSettings | undefined {
  if (config.upstreamIssuer === '') return undefined;
  if (config.upstreamClientId === '' || config.upstreamClientSecret === '') {
    throw new ConfigError('SOCLE_OIDC_UPSTREAM_ISSUER needs SOCLE_OIDC_UPSTREAM_CLIENT_ID and SOCLE_OIDC_UPSTREAM_CLIENT_SECRET');
  }
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(config.upstreamIssuer);
  } catch {
    throw new ConfigError(`SOCLE_OIDC_UPSTREAM_ISSUER must be a URL (got "${config.upstreamIssuer}")`);
  }
  const issuer = config.upstreamIssuer;
  const acr = config.upstreamAcr.trim();
  return {
    issuer,
    discoveryUrl: config.upstreamDiscoveryUrl || `${issuerUrl.href.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: config.upstreamClientId,
    clientSecret: config.upstreamClientSecret,
    tokenAuth: config.upstreamTokenAuth,
    scope: config.upstreamScope,
    acr: acr === '' || acr.toLowerCase() === 'none' ? undefined : acr,
    get redirectUri() {
      return `${origin().replace(/\/+$/, '')}${CALLBACK_PATH}`;
    },
  };
}
