/**
 * A real second OpenID Connect provider for federation tests: node
 * oidc-provider 8 on a free port, shaped like Pro Santé Connect — scope
 * scope_all, acr eidas1, SubjectNameID (the idNat_PS) and names in userinfo,
 * a confidential client registered for Socle, userinfo as JSON or as a
 * signed JWT, ID tokens signed RS256 (its JWKS) or HS256 (the client secret).
 *
 * Its login page is a plain form (GET /interaction/:uid, POST
 * /interaction/:uid/login with `account` and `acr`) that tests drive with
 * fetch; the login grants the requested scopes at once (no consent step).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface UpstreamAccount {
  /** The provider's subject: opaque on purpose, so that mapping must read SubjectNameID. */
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface UpstreamOptions {
  readonly redirectUris: readonly string[];
  readonly accounts: readonly UpstreamAccount[];
  readonly idTokenAlg?: 'RS256' | 'HS256';
  /** Set to answer userinfo as a signed JWT (application/jwt); JSON otherwise. */
  readonly userinfoAlg?: 'RS256' | 'HS256';
  readonly tokenAuth?: 'client_secret_basic' | 'client_secret_post';
  /**
   * The issuer's host. "localhost" for tests with a real browser: cookies ignore
   * ports, and Socle (127.0.0.1) and this provider would otherwise share theirs.
   */
  readonly hostname?: '127.0.0.1' | 'localhost';
}

export interface RunningUpstream {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The provider, for tests that look at what it holds. */
  readonly provider: Provider;
  close(): Promise<void>;
}

/** A PSC-like professional: opaque sub, SubjectNameID = idNat_PS, names. */
export function pscAccount(idNatPs: string, given: string, family: string): UpstreamAccount {
  return {
    sub: `psc-${randomBytes(6).toString('hex')}`,
    claims: { SubjectNameID: idNatPs, preferred_username: idNatPs, given_name: given, family_name: family, idp: 'PSC' },
  };
}

function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(new URLSearchParams(text)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(html);
}

export async function startUpstreamProvider(port: number, options: UpstreamOptions): Promise<RunningUpstream> {
  const hostname = options.hostname ?? '127.0.0.1';
  const issuer = `http://${hostname}:${port}`;
  const clientId = 'socle-rp';
  const clientSecret = randomBytes(32).toString('base64url');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `k-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const accounts = new Map(options.accounts.map((a) => [a.sub, a]));

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [...options.redirectUris],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: options.tokenAuth ?? 'client_secret_basic',
      id_token_signed_response_alg: options.idTokenAlg ?? 'RS256',
      ...(options.userinfoAlg ? { userinfo_signed_response_alg: options.userinfoAlg } : {}),
    }],
    jwks: { keys: [signingKey] },
    acrValues: ['eidas1', 'faible'],
    // Pro Santé Connect may sign with the client secret (HS256) or its keys.
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'], userinfoSigningAlgValues: ['RS256', 'HS256'] },
    claims: {
      acr: null, auth_time: null, sid: null, iss: null,
      openid: ['sub'],
      scope_all: ['SubjectNameID', 'preferred_username', 'given_name', 'family_name', 'idp'],
    },
    scopes: ['openid', 'scope_all'],
    features: { devInteractions: { enabled: false }, jwtUserinfo: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account.claims }) } : undefined;
    },
  });

  const handle = provider.callback();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    // Pro Santé Connect publishes its discovery under this second name too.
    if (url.pathname === '/.well-known/wallet-openid-configuration') request.url = '/.well-known/openid-configuration';
    const login = /^\/interaction\/([\w-]+)\/login$/.exec(url.pathname);
    const page = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (page && request.method === 'GET') {
      provider.interactionDetails(request, response).then(
        (details) => send(response, 200, `<!doctype html><title>PSC</title><form method="post" action="/interaction/${details.uid}/login"><input name="account"><input name="acr" value="eidas1"><button type="submit">Connexion</button></form>`),
        () => send(response, 400, 'unknown interaction'),
      );
      return;
    }
    if (login && request.method === 'POST') {
      finishLogin(provider, request, response).catch(() => send(response, 400, 'login failed'));
      return;
    }
    handle(request, response);
  });
  // localhost may resolve to ::1 or 127.0.0.1: listen on both.
  await new Promise<void>((resolve) => (hostname === 'localhost' ? server.listen(port, resolve) : server.listen(port, hostname, resolve)));
  return {
    issuer: `http://${hostname}:${(server.address() as AddressInfo).port}`,
    clientId,
    clientSecret,
    provider,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  async function finishLogin(p: Provider, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await readForm(request);
    const details = await p.interactionDetails(request, response);
    const accountId = form.get('account') ?? '';
    if (!accounts.has(accountId)) return send(response, 200, 'unknown account');
    const grant = new p.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const acr = form.get('acr') || 'eidas1';
    const returnTo = await p.interactionResult(request, response, { login: { accountId, acr }, consent: { grantId } }, { mergeWithLastSubmission: false });
    response.writeHead(303, { location: returnTo });
    response.end();
  }
}
