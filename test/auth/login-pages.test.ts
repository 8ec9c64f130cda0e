/**
 * The login pages as a browser meets them, on both backends: DSFR served by
 * Socle with the right content types (and nothing else from its folder), the
 * login form's labels and stable ids, French by default and English on
 * request, security headers, and a clear page for an unknown interaction.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { Browser, DEMO_OVERRIDES, interactionPath, pkce, startLogin } from './oidc-support.js';

forEachBackend('login pages', (server) => {
  test('the DSFR stylesheet, fonts and icons are served locally with their content types', async () => {
    const cases: [string, string][] = [
      ['/assets/dsfr/dsfr.min.css', 'text/css; charset=utf-8'],
      ['/assets/dsfr/fonts/Marianne-Regular.woff2', 'font/woff2'],
      ['/assets/dsfr/icons/system/close-line.svg', 'image/svg+xml'],
      ['/assets/dsfr/favicon/favicon.svg', 'image/svg+xml'],
    ];
    for (const [path, type] of cases) {
      const response = await fetch(`${server().url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      await response.arrayBuffer();
    }
  });

  test('nothing else is reachable under /assets/dsfr, traversal included', async () => {
    for (const path of ['/assets/dsfr/package.json', '/assets/dsfr/../package.json', '/assets/dsfr/%2e%2e/%2e%2e/package.json', '/assets/dsfr/fonts/nope.woff2', '/assets/dsfr/dsfr.module.js']) {
      const response = await fetch(`${server().url}${path}`);
      assert.equal(response.status, 404, path);
      await response.text();
    }
  });

  test('the login page: labelled fields with stable ids, French by default, English on request', async () => {
    const browser = new Browser(server());
    const page = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="fr"/);
    assert.match(page.html, /<label class="fr-label" for="login">Identifiant/);
    assert.match(page.html, /<label class="fr-label" for="password">Mot de passe/);
    assert.match(page.html, /id="submit-login"/);
    assert.match(page.html, /href="\/assets\/dsfr\/dsfr\.min\.css"/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'self'/);
    assert.equal(page.headers.get('referrer-policy'), 'same-origin');
    const english = await browser.get(`${interactionPath(page)}?lang=en`);
    assert.match(english.html, /<html lang="en"/);
    assert.match(english.html, /for="password">Password/);
    // The choice is remembered by a cookie for the next pages.
    const next = await browser.get(interactionPath(page));
    assert.match(next.html, /<html lang="en"/);
    const byHeader = await startLogin(new Browser(server(), { 'accept-language': 'en-GB,en;q=0.9' }), { scope: 'openid', challenge: pkce().challenge });
    assert.match(byHeader.html, /<html lang="en"/, 'Accept-Language is honoured');
  });

  test('the provider’s own error page is a DSFR page with the RFC error code', async () => {
    const page = await new Browser(server()).get('/oidc/auth?response_type=code&client_id=nobody&scope=openid');
    assert.equal(page.status, 400);
    assert.match(page.html, /id="oauth-error"/);
    assert.match(page.html, /invalid_client/);
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  test('an unknown or foreign interaction is a clear page, not a 5xx', async () => {
    const page = await new Browser(server()).get('/interaction/does-not-exist');
    assert.equal(page.status, 400);
    assert.match(page.html, /La demande de connexion est inconnue ou a expiré/);
  });
}, DEMO_OVERRIDES);
