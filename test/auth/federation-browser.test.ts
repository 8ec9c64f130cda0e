/**
 * The federated login in a real Chromium: the browser's own cookie rules
 * (SameSite=Lax across the external provider's redirect back, cookies scoped
 * to /interaction/<uid>) are what the routes rely on, so they are proved here
 * as well as with fetch (federation-login.test.ts). The external provider
 * runs on "localhost" and Socle on 127.0.0.1: two sites, as in production.
 * Skipped, with the reason, where no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_PRINCIPAL } from '../../src/core/principal.js';
import { backendNames } from '../support/backends.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { freePort } from '../support/child-process.js';
import { pscAccount, startUpstreamProvider, type RunningUpstream } from '../support/upstream-provider.js';
import { startFederatedSocle, type FederatedSocle } from './federation-socle.js';

const ID_NAT_PS = '810002223334';
const professional = pscAccount(ID_NAT_PS, 'Anne', 'Leroy');
const skip = chromiumAvailable() ? false : `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;

describe(`federated login in Chromium [${backendNames()[0]}]`, { skip }, () => {
  let upstream: RunningUpstream;
  let socle: FederatedSocle;
  let browser: Browser;
  let app: { client_id: string; client_secret: string };
  let practitionerId: string;
  // The application: a real listener that records where the browser lands (a port Chromium allows).
  let appServer: Server;
  let APP_CALLBACK: string;
  let callback: URL | undefined;

  before(async () => {
    const appPort = await freePort();
    APP_CALLBACK = `http://127.0.0.1:${appPort}/app/callback`;
    appServer = createServer((request, response) => {
      // Only the callback: the browser also asks for /favicon.ico.
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${appPort}`);
      if (url.pathname === '/app/callback') callback = url;
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => appServer.listen(appPort, '127.0.0.1', resolve));
    const soclePort = await freePort();
    upstream = await startUpstreamProvider(await freePort(), {
      hostname: 'localhost', redirectUris: [`http://127.0.0.1:${soclePort}/oidc-upstream/callback`], accounts: [professional], userinfoAlg: 'RS256',
    });
    socle = await startFederatedSocle(backendNames()[0]!, { port: soclePort, upstreamIssuer: upstream.issuer, upstreamClientId: upstream.clientId, upstreamClientSecret: upstream.clientSecret });
    const created = await socle.platform.engine.handle({
      method: 'POST', path: 'Practitioner', query: [], headers: { contentType: 'application/fhir+json' }, baseUrl: `${socle.url}/fhir`, language: 'fr', principal: SYSTEM_PRINCIPAL,
      body: { resourceType: 'Practitioner', active: true, identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: ID_NAT_PS }], name: [{ family: 'Leroy', given: ['Anne'] }] },
    });
    assert.equal(created.status, 201);
    practitionerId = /Practitioner\/([^/]+)/.exec(created.headers.location ?? '')![1]!;
    app = (await socle.auth.clients.register({ client_name: 'Logiciel', redirect_uris: [APP_CALLBACK], scope: 'openid fhirUser' })) as typeof app;
    browser = await launchChromium();
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await socle?.close();
    await upstream?.close();
    await new Promise((resolve) => appServer?.close(resolve));
  });

  let page: Page;
  const verifier = randomBytes(32).toString('base64url');

  test('from the application to Pro Santé Connect and back: Socle asks the professional\'s consent as the directory Practitioner', async () => {
    page = await browser.newPage();
    const authorize = new URL(`${socle.url}/oidc/auth`);
    for (const [k, v] of Object.entries({
      client_id: app.client_id, response_type: 'code', scope: 'openid fhirUser', redirect_uri: APP_CALLBACK, state: 'st', nonce: 'nn', acr_values: 'eidas1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    })) authorize.searchParams.set(k, v);
    await page.goto(authorize.href);
    const uid = /\/interaction\/([\w-]+)$/.exec(new URL(page.url()).pathname)?.[1];
    assert.ok(uid, `Socle's login page, at ${page.url()}`);

    // What the login page's "Pro Santé Connect" button does.
    await page.goto(`${socle.url}/oidc-upstream/login?interaction=${uid}`);
    assert.ok(page.url().startsWith(`${upstream.issuer}/interaction/`), `the external login page, at ${page.url()}`);
    await page.fill('input[name="account"]', professional.sub);
    await Promise.all([page.waitForURL((url) => url.origin === socle.url), page.click('button[type="submit"]')]);

    // Back at Socle, logged in as the professional: the consent page names them, from the directory.
    await page.waitForSelector('#approve');
    assert.match(await page.content(), /Anne Leroy/);
    assert.equal((await socle.auth.accounts.get(ID_NAT_PS))?.fhirUser, `Practitioner/${practitionerId}`);
  });

  test('after consent, the application gets tokens for the directory Practitioner', async () => {
    await Promise.all([page.waitForURL((url) => url.href.startsWith(APP_CALLBACK), { timeout: 5000 }), page.click('#approve')]);
    assert.ok(callback, `the application's callback, browser at ${page.url()}`);
    assert.equal(callback.searchParams.get('state'), 'st');
    const token = await fetch(`${socle.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: APP_CALLBACK, code_verifier: verifier }).toString(),
    });
    const tokens = (await token.json()) as { id_token: string };
    assert.equal(token.status, 200, JSON.stringify(tokens));
    const idToken = decodeJwt(tokens.id_token);
    assert.equal(idToken.sub, ID_NAT_PS);
    assert.equal(idToken.fhirUser, `${socle.url}/fhir/Practitioner/${practitionerId}`);
  });
});
