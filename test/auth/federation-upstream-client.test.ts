/**
 * Socle's relying-party client (src/auth/federation/upstream-client.ts)
 * against a real second OpenID Connect provider (test/support/
 * upstream-provider.ts): discovery, PKCE S256, code exchange, ID token and
 * userinfo checks, in the variants Pro Santé Connect may use — RS256 or HS256
 * ID tokens, JSON or signed-JWT userinfo, client_secret_basic or _post, the
 * wallet discovery document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { isFhirError } from '../../src/core/errors.js';
import { validateIdToken } from '../../src/auth/federation/id-token.js';
import { randomToken } from '../../src/auth/federation/browser-bound-records.js';
import { UpstreamClient, type PendingLogin } from '../../src/auth/federation/upstream-client.js';
import type { UpstreamSettings } from '../../src/auth/federation/upstream-settings.js';
import { freePort } from '../support/child-process.js';
import { CookieBrowser } from '../support/cookie-browser.js';
import { pscAccount, startUpstreamProvider, type RunningUpstream, type UpstreamOptions } from '../support/upstream-provider.js';

const REDIRECT_URI = 'http://127.0.0.1:9/oidc-upstream/callback';
const professional = pscAccount('810003461033', 'Jeanne', 'Martin');

function settingsFor(upstream: RunningUpstream, overrides: Partial<UpstreamSettings> = {}): UpstreamSettings {
  return {
    issuer: upstream.issuer,
    discoveryUrl: `${upstream.issuer}/.well-known/openid-configuration`,
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    tokenAuth: 'client_secret_basic',
    scope: 'openid scope_all',
    acr: 'eidas1',
    redirectUri: REDIRECT_URI,
    ...overrides,
  };
}

function newPending(): PendingLogin {
  return { interaction: 'uid-1', nonce: randomToken(), codeVerifier: randomToken() };
}

/** Logs in at the upstream provider as `sub` and returns the URL it sends the browser back to (not followed). */
async function loginAtUpstream(authorizationUrl: string, sub: string, acr = 'eidas1', rewrite: (url: URL) => void = () => {}): Promise<URL> {
  const browser = new CookieBrowser();
  const url = new URL(authorizationUrl);
  rewrite(url);
  const toPage = await browser.follow(url.href, { stopBefore: (l) => l.startsWith(REDIRECT_URI) });
  assert.equal(toPage.last.response.status, 200, `the upstream login page: ${toPage.last.text.slice(0, 200)}`);
  const uid = /\/interaction\/([\w-]+)$/.exec(new URL(toPage.last.url).pathname)?.[1];
  assert.ok(uid, 'landed on the upstream interaction page');
  const done = await browser.follow(`${url.origin}/interaction/${uid}/login`, { form: { account: sub, acr }, stopBefore: (l) => l.startsWith(REDIRECT_URI) });
  assert.ok(done.next, `the upstream sends the browser back: ${done.last.response.status} ${done.last.text.slice(0, 200)}`);
  return new URL(done.next);
}

/** The refusal `promise` ends with: status, catalogue key, and the `detail` parameter when asked for. */
async function refusal(promise: Promise<unknown>, detail?: string): Promise<{ status: number; key: string; detail?: unknown }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isFhirError(error), `a catalogued error, got ${String(error)}`);
    const issue = error.issues[0]!;
    return { status: error.status, key: issue.message, ...(detail ? { detail: issue.params?.[detail] } : {}) };
  }
  assert.fail('expected a refusal');
}

function variant(title: string, options: Omit<UpstreamOptions, 'redirectUris' | 'accounts'>, overrides: (u: RunningUpstream) => Partial<UpstreamSettings> = () => ({})): void {
  describe(title, () => {
    let upstream: RunningUpstream;
    let client: UpstreamClient;
    before(async () => {
      upstream = await startUpstreamProvider(await freePort(), { redirectUris: [REDIRECT_URI], accounts: [professional], ...options });
      client = new UpstreamClient(settingsFor(upstream, overrides(upstream)));
    });
    after(() => upstream.close());

    test('the authorization request carries state, nonce, PKCE S256 and acr_values', async () => {
      const pending = newPending();
      const url = new URL(await client.authorizationUrl('the-state', pending));
      assert.equal(url.origin, upstream.issuer);
      assert.equal(url.searchParams.get('state'), 'the-state');
      assert.equal(url.searchParams.get('nonce'), pending.nonce);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.notEqual(url.searchParams.get('code_challenge'), pending.codeVerifier, 'the verifier never leaves Socle');
      assert.equal(url.searchParams.get('acr_values'), 'eidas1');
      assert.equal(url.searchParams.get('scope'), 'openid scope_all');
    });

    test('a login comes back as a validated identity with the PSC claims', async () => {
      const pending = newPending();
      const back = await loginAtUpstream(await client.authorizationUrl('s1', pending), professional.sub);
      assert.equal(back.searchParams.get('state'), 's1');
      const identity = await client.finish(back.searchParams.get('code')!, pending);
      assert.equal(identity.idToken.sub, professional.sub);
      assert.equal(identity.idToken.acr, 'eidas1');
      assert.equal(identity.userinfo.SubjectNameID, '810003461033');
      assert.equal(identity.userinfo.family_name, 'Martin');
    });

    test('a code is exchanged once only', async () => {
      const pending = newPending();
      const back = await loginAtUpstream(await client.authorizationUrl('s2', pending), professional.sub);
      const code = back.searchParams.get('code')!;
      await client.finish(code, pending);
      assert.deepEqual(await refusal(client.finish(code, pending), 'error'), { status: 401, key: 'auth.upstream-token-refused', detail: 'invalid_grant' });
    });

    test('a wrong PKCE verifier is refused by the provider', async () => {
      const pending = newPending();
      const back = await loginAtUpstream(await client.authorizationUrl('s3', pending), professional.sub);
      const other = { ...pending, codeVerifier: randomToken() };
      assert.deepEqual(await refusal(client.finish(back.searchParams.get('code')!, other), 'error'), { status: 401, key: 'auth.upstream-token-refused', detail: 'invalid_grant' });
    });

    test('an ID token whose nonce is not the one sent is refused', async () => {
      const pending = newPending();
      const back = await loginAtUpstream(await client.authorizationUrl('s4', pending), professional.sub, 'eidas1', (url) => url.searchParams.set('nonce', 'another-nonce'));
      assert.deepEqual(await refusal(client.finish(back.searchParams.get('code')!, pending), 'reason'), { status: 401, key: 'auth.upstream-id-token-invalid', detail: 'nonce mismatch' });
    });

    test('an authentication below eidas1 is refused', async () => {
      const pending = newPending();
      const back = await loginAtUpstream(await client.authorizationUrl('s5', pending), professional.sub, 'faible');
      assert.deepEqual(await refusal(client.finish(back.searchParams.get('code')!, pending), 'actual'), { status: 403, key: 'auth.upstream-acr-insufficient', detail: 'faible' });
    });
  });
}

variant('PSC-like provider: RS256 ID token, JSON userinfo, client_secret_basic', { idTokenAlg: 'RS256' });
variant('PSC-like provider: HS256 ID token, signed JWT userinfo, client_secret_post, wallet discovery', { idTokenAlg: 'HS256', userinfoAlg: 'RS256', tokenAuth: 'client_secret_post' }, (u) => ({
  tokenAuth: 'client_secret_post',
  discoveryUrl: `${u.issuer}/.well-known/wallet-openid-configuration`,
}));

variant('PSC-like provider: everything signed with the client secret (HS256 ID token and userinfo JWT)', { idTokenAlg: 'HS256', userinfoAlg: 'HS256' });

describe('an external provider that cannot be trusted or reached', () => {
  let upstream: RunningUpstream;
  before(async () => {
    upstream = await startUpstreamProvider(await freePort(), { redirectUris: [REDIRECT_URI], accounts: [professional] });
  });
  after(() => upstream.close());

  test('a discovery document naming another issuer is refused (Discovery §4.3)', async () => {
    const client = new UpstreamClient(settingsFor(upstream, { issuer: `${upstream.issuer}/realms/other` }));
    assert.deepEqual(await refusal(client.authorizationUrl('s', newPending()), 'reason'), { status: 502, key: 'auth.upstream-unavailable', detail: `discovery names another issuer (${upstream.issuer})` });
  });

  test('a provider that does not answer is reported as unavailable, and tried again next time', async () => {
    const port = await freePort();
    const client = new UpstreamClient(settingsFor(upstream, { issuer: `http://127.0.0.1:${port}`, discoveryUrl: `http://127.0.0.1:${port}/.well-known/openid-configuration` }));
    assert.deepEqual(await refusal(client.authorizationUrl('s', newPending())), { status: 502, key: 'auth.upstream-unavailable' });
    assert.deepEqual(await refusal(client.authorizationUrl('s', newPending())), { status: 502, key: 'auth.upstream-unavailable' });
  });

  test('a wrong client secret is reported as Socle\'s misconfiguration, not as the user\'s failure', async () => {
    const client = new UpstreamClient(settingsFor(upstream, { clientSecret: 'not-the-secret' }));
    const pending = newPending();
    const back = await loginAtUpstream(await client.authorizationUrl('s', pending), professional.sub);
    assert.deepEqual(await refusal(client.finish(back.searchParams.get('code')!, pending), 'reason'), { status: 502, key: 'auth.upstream-unavailable', detail: 'invalid_client' });
  });
});

describe('ID tokens that did not come from the provider', () => {
  let upstream: RunningUpstream;
  let client: UpstreamClient;
  let kid: string;
  before(async () => {
    upstream = await startUpstreamProvider(await freePort(), { redirectUris: [REDIRECT_URI], accounts: [professional] });
    client = new UpstreamClient(settingsFor(upstream));
    const jwks = (await (await fetch(`${upstream.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    kid = jwks.keys[0]!.kid;
  });
  after(() => upstream.close());

  /** An ID token with every claim right, signed by a key of the test's own. */
  async function forged(header: { kid?: string; alg?: string } = {}, claims: Record<string, unknown> = {}): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ nonce: 'n', acr: 'eidas1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid, ...header })
      .setIssuer(upstream.issuer).setAudience(upstream.clientId).setSubject(professional.sub)
      .setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
  }

  test('a token signed with another key under the provider\'s kid fails its signature', async () => {
    const provider = await client.provider();
    assert.deepEqual(await refusal(validateIdToken(await forged(), { nonce: 'n' }, client.settings, provider), 'reason'), { status: 401, key: 'auth.upstream-id-token-invalid', detail: 'signature' });
  });

  test('a token naming a kid the provider does not publish is refused after the JWKS is read again', async () => {
    const provider = await client.provider();
    assert.deepEqual(await refusal(validateIdToken(await forged({ kid: 'unknown-kid' }), { nonce: 'n' }, client.settings, provider), 'reason'), { status: 401, key: 'auth.upstream-id-token-invalid', detail: 'no key matches its kid' });
  });

  test('an unsigned token (alg none) is refused', async () => {
    const provider = await client.provider();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none' })}.${encode({ iss: upstream.issuer, aud: upstream.clientId, sub: professional.sub, nonce: 'n', acr: 'eidas1', iat: now, exp: now + 300 })}.`;
    assert.deepEqual(await refusal(validateIdToken(unsigned, { nonce: 'n' }, client.settings, provider), 'reason'), { status: 401, key: 'auth.upstream-id-token-invalid', detail: 'algorithm not accepted' });
  });

  test('an HS256 token is checked with the client secret: another secret fails', async () => {
    const provider = { ...(await client.provider()), metadata: { ...(await client.provider()).metadata, id_token_signing_alg_values_supported: ['RS256', 'HS256'] } };
    const sign = (secret: string) => new SignJWT({ nonce: 'n', acr: 'eidas1' }).setProtectedHeader({ alg: 'HS256' })
      .setIssuer(upstream.issuer).setAudience(upstream.clientId).setSubject(professional.sub).setIssuedAt().setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const good = await validateIdToken(await sign(upstream.clientSecret), { nonce: 'n' }, client.settings, provider);
    assert.equal(good.sub, professional.sub);
    assert.deepEqual(await refusal(validateIdToken(await sign('x'.repeat(43)), { nonce: 'n' }, client.settings, provider), 'reason'), { status: 401, key: 'auth.upstream-id-token-invalid', detail: 'signature' });
  });
});
