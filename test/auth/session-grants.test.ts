/**
 * A login session with several SMART EHR launches of the same app, each its
 * own grant: signing out (RP-Initiated Logout) and the idle timeout of the
 * session end the access and refresh tokens of every one of them, not only
 * of the last; an offline_access grant outlives the logout (OpenID Connect
 * Core §11). Over real HTTP on both backends.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DEMO_APP } from '../../src/auth/accounts/demo-accounts.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { approve, authOf, Browser, codeOf, DEMO_OVERRIDES, passBothFactors, PATIENT_INS, pkce, postForm, startLogin } from './oidc-support.js';

const LOGIN = '810001000024';

async function launchFor(server: TestServer, patientIns: string): Promise<string> {
  const patient = (await server.get(`Patient?identifier=${patientIns}`)).body.entry[0].resource.id as string;
  const { token } = await authOf(server).mintToken(LOGIN, undefined, 60);
  const created = await server.anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient } });
  assert.equal(created.status, 201, created.text);
  return created.body.launch as string;
}

/** One EHR launch in `browser` (logging in first when it has no session yet); returns the token response. */
async function ehrLaunch(server: TestServer, browser: Browser, patientIns: string, scope = 'openid launch patient/*.rs online_access'): Promise<any> {
  const { verifier, challenge } = pkce();
  const first = await startLogin(browser, { scope, challenge, extra: { launch: await launchFor(server, patientIns) } });
  const consent = /id="password"/.test(first.html) ? await passBothFactors(browser, first, LOGIN) : first;
  const { code } = codeOf(await approve(browser, consent));
  const tokens = await postForm(server, '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier });
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return tokens.body;
}

async function logout(browser: Browser, idToken: string): Promise<void> {
  const question = await browser.get(`/oidc/session/end?id_token_hint=${idToken}`);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.html)?.[1];
  assert.ok(xsrf, question.html.slice(0, 300));
  assert.equal((await browser.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' })).status, 303);
}

async function assertEnded(server: TestServer, tokens: any, what: string): Promise<void> {
  assert.equal(await authOf(server).verifyToken(tokens.access_token), undefined, `${what}: access token refused`);
  const read = await server.anonymous.request('GET', 'Patient', { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(read.status, 401, `${what}: FHIR API refuses it`);
  const refreshed = await postForm(server, '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: DEMO_APP.clientId });
  assert.equal(refreshed.body.error, 'invalid_grant', `${what}: refresh token refused (${JSON.stringify(refreshed.body)})`);
}

forEachBackend('login session: logout ends every grant of the session', (server) => {
  test('two EHR launches in one session, then logout: the tokens of both launches end; an offline grant stays', async () => {
    const browser = new Browser(server());
    const first = await ehrLaunch(server(), browser, PATIENT_INS);
    const offline = await ehrLaunch(server(), browser, '201126204107868', 'openid launch patient/*.rs offline_access');
    const second = await ehrLaunch(server(), browser, '172038002104537');
    assert.ok(first.refresh_token && second.refresh_token, 'online_access gives refresh tokens');
    assert.ok(await authOf(server()).verifyToken(first.access_token), 'the first launch still works while the session lasts');
    await logout(browser, second.id_token);
    await assertEnded(server(), second, 'last launch');
    await assertEnded(server(), first, 'earlier launch');
    assert.ok(await authOf(server()).verifyToken(offline.access_token), 'offline_access outlives the logout (OpenID Connect Core §11)');
    const kept = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: offline.refresh_token, client_id: DEMO_APP.clientId });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
  });
}, DEMO_OVERRIDES);

forEachBackend('login session: the idle timeout ends every grant of the session', (server) => {
  test('two EHR launches, then the session times out: no token of either launch is accepted any more', async () => {
    const browser = new Browser(server());
    const first = await ehrLaunch(server(), browser, PATIENT_INS);
    const second = await ehrLaunch(server(), browser, '172038002104537');
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    await assertEnded(server(), first, 'earlier launch');
    await assertEnded(server(), second, 'last launch');
  });
}, { ...DEMO_OVERRIDES, sessionIdle: 5, accessTokenTtl: 300 });
