/**
 * Helpers of the login tests: the auth module of a running test server, a
 * small browser (cookie jar, no automatic redirects) that drives the login
 * pages with real form posts, PKCE, and the whole authorization-code dance.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import type { AuthModule } from '../../src/auth/index.js';
import { totpCode } from '../../src/auth/accounts/totp.js';
import { DEMO_APP, DEMO_SECRETS } from '../../src/auth/accounts/demo-accounts.js';
import type { Account } from '../../src/auth/accounts/account.js';
import { systemClock } from '../../src/core/clock.js';
import { Collection } from '../../src/storage/collection.js';
import type { TestServer } from '../support/test-server.js';

/** Demo data with only the featured people (fast), and their accounts. */
export const DEMO_OVERRIDES = { demo: 'on', demoOrganisations: 0, demoProfessionals: 0, demoPatients: 0 } as const;

export const DOCTOR = '810001000016';
export const PHARMACIST = '810001000032';
export const PATIENT_INS = '285075935012324';

export function authOf(server: TestServer): AuthModule {
  const module = server.running.platform.modules.find((m) => m.name === 'auth');
  assert.ok(module, 'the auth module is part of the platform');
  return module as AuthModule;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A one-time code of the demo secret that the server will accept for `login`:
 * the current 30-second step, or the next one when the current was used (a
 * step is never accepted twice). When both are used, the account's replay
 * record is cleared first: a fixture shortcut so that tests need not wait;
 * the replay rule itself has its own test (login-factors.test.ts).
 */
export async function freshCode(server: TestServer, login: string): Promise<string> {
  const accounts = new Collection<Account>(server.running.store, 'auth.accounts', systemClock);
  const account = await accounts.get(login);
  assert.ok(account, `account ${login}`);
  const nowStep = Math.floor(Date.now() / 30_000);
  let step = Math.max(nowStep, (account.lastTotpStep ?? 0) + 1);
  if (step > nowStep + 1) {
    const { lastTotpStep: _used, ...rest } = account;
    await accounts.put(login, rest);
    step = nowStep;
  }
  return totpCode(DEMO_SECRETS.totpSecret, step * 30_000 + 1_000);
}

export interface Page {
  readonly status: number;
  readonly location?: string;
  readonly html: string;
  readonly headers: Headers;
}

/** A browser: keeps cookies per name, follows nothing by itself. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly server: TestServer, readonly extraHeaders: Record<string, string> = {}) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const absolute = url.startsWith('http') ? url : `${this.server.url}${url}`;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(absolute, {
      method,
      redirect: 'manual',
      headers: {
        ...this.extraHeaders,
        ...headers,
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = response.headers.get('location') ?? undefined;
    return { status: response.status, html: await response.text(), headers: response.headers, ...(location ? { location } : {}) };
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Page> {
    return this.request('POST', url, form, headers);
  }

  /** Follows redirects while they stay on the server; returns the last page or the redirect leaving it. */
  async follow(page: Page): Promise<Page> {
    let current = page;
    for (let i = 0; i < 10 && current.location && isRedirect(current.status); i++) {
      const next = new URL(current.location, this.server.url);
      if (next.origin !== this.server.url) return current;
      current = await this.get(next.pathname + next.search);
    }
    return current;
  }
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

export function csrfOf(page: Page): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.html);
  assert.ok(match, `a CSRF field in the page (${page.status}): ${page.html.slice(0, 300)}`);
  return match[1]!;
}

export function interactionPath(page: Page): string {
  const match = /action="(\/interaction\/[^/"]+)\//.exec(page.html);
  assert.ok(match, `a form of an interaction (${page.status}): ${page.html.slice(0, 300)}`);
  return match[1]!;
}

export interface AuthorizeOptions {
  readonly clientId?: string;
  readonly redirectUri?: string;
  readonly scope: string;
  readonly challenge: string;
  readonly state?: string;
  readonly nonce?: string;
  readonly extra?: Record<string, string>;
}

export function authorizeUrl(options: AuthorizeOptions): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId ?? DEMO_APP.clientId,
    redirect_uri: options.redirectUri ?? DEMO_APP.redirectUri,
    scope: options.scope,
    state: options.state ?? 'state-1',
    nonce: options.nonce ?? 'nonce-1',
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
    ...(options.extra ?? {}),
  });
  return `/oidc/auth?${params.toString()}`;
}

/** Starts an authorization and returns the first interaction page (the login form). */
export async function startLogin(browser: Browser, options: AuthorizeOptions): Promise<Page> {
  return browser.follow(await browser.get(authorizeUrl(options)));
}

/** Password then code on the pages; returns the page after the code (consent, or the redirect to the client). */
export async function passBothFactors(browser: Browser, loginPage: Page, login: string, password: string = DEMO_SECRETS.userPassword): Promise<Page> {
  const path = interactionPath(loginPage);
  const afterPassword = await browser.post(`${path}/login`, { csrf: csrfOf(loginPage), login, password });
  assert.equal(afterPassword.status, 303, `password accepted: ${afterPassword.html.slice(0, 300)}`);
  const otpPage = await browser.follow(afterPassword);
  assert.match(otpPage.html, /id="otp"/);
  const afterCode = await browser.post(`${path}/otp`, { csrf: csrfOf(otpPage), otp: await freshCode(browser.server, login) });
  assert.equal(afterCode.status, 303, `code accepted: ${afterCode.html.slice(0, 300)}`);
  return browser.follow(afterCode);
}

/** Approves the consent page (with a patient when given) and returns the redirect to the client. */
export async function approve(browser: Browser, consentPage: Page, patient?: string): Promise<Page> {
  assert.match(consentPage.html, /id="approve"/, `a consent page: ${consentPage.html.slice(0, 300)}`);
  const path = interactionPath(consentPage);
  const done = await browser.post(`${path}/consent`, { csrf: csrfOf(consentPage), decision: 'approve', ...(patient ? { patient } : {}) });
  assert.equal(done.status, 303, `consent accepted: ${done.html.slice(0, 400)}`);
  return browser.follow(done);
}

/** The code (and state) of the redirect to the client. */
export function codeOf(redirect: Page, redirectUri: string = DEMO_APP.redirectUri): { code: string; state: string | null } {
  assert.ok(redirect.location?.startsWith(redirectUri), `redirected to the client, got ${redirect.status} ${redirect.location} ${redirect.html.slice(0, 300)}`);
  const url = new URL(redirect.location!);
  const code = url.searchParams.get('code');
  assert.ok(code, `a code in ${redirect.location}`);
  return { code, state: url.searchParams.get('state') };
}

/** A form POST to a provider endpoint (token, introspection, revocation). */
export async function postForm(server: TestServer, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export function basic(clientId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` };
}

/** Whole flow for the demo app: login (both factors), consent, code exchange; returns the token response. */
export async function loginAndExchange(server: TestServer, login: string, scope: string, patient?: string): Promise<any> {
  const browser = new Browser(server);
  const { verifier, challenge } = pkce();
  const loginPage = await startLogin(browser, { scope, challenge });
  const consent = await passBothFactors(browser, loginPage, login);
  const { code } = codeOf(await approve(browser, consent, patient));
  const token = await postForm(server, '/oidc/token', {
    grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier,
  });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return token.body;
}
