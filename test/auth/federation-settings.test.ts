/**
 * Federation is configured by SOCLE_OIDC_UPSTREAM_*: off without an issuer
 * (its routes do not exist), refused at start when half configured, and the
 * Pro Santé Connect defaults otherwise (scope openid scope_all, acr eidas1).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { upstreamSettings } from '../../src/auth/federation/upstream-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/settings.js';
import { backendNames } from '../support/backends.js';
import { freePort } from '../support/child-process.js';
import { startFederatedSocle } from './federation-socle.js';

const origin = () => 'https://socle.example.fr';

describe('federation settings', () => {
  test('without SOCLE_OIDC_UPSTREAM_ISSUER, federation is off', () => {
    assert.equal(upstreamSettings(loadConfig({}), origin), undefined);
  });

  test('an issuer without client id or secret is refused at start', () => {
    assert.throws(() => upstreamSettings(loadConfig({ SOCLE_OIDC_UPSTREAM_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet' }), origin), ConfigError);
    assert.throws(() => upstreamSettings(loadConfig({ SOCLE_OIDC_UPSTREAM_ISSUER: 'not a url', SOCLE_OIDC_UPSTREAM_CLIENT_ID: 'a', SOCLE_OIDC_UPSTREAM_CLIENT_SECRET: 'b' }), origin), ConfigError);
  });

  test('Pro Santé Connect defaults, and the callback on Socle\'s public origin', () => {
    const settings = upstreamSettings(loadConfig({
      SOCLE_OIDC_UPSTREAM_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
      SOCLE_OIDC_UPSTREAM_CLIENT_ID: 'socle',
      SOCLE_OIDC_UPSTREAM_CLIENT_SECRET: 's3cret',
    }), origin);
    assert.ok(settings);
    assert.equal(settings.scope, 'openid scope_all');
    assert.equal(settings.acr, 'eidas1');
    assert.equal(settings.tokenAuth, 'client_secret_basic');
    assert.equal(settings.discoveryUrl, 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/openid-configuration');
    assert.equal(settings.redirectUri, 'https://socle.example.fr/oidc-upstream/callback');
  });

  test('the wallet discovery document, client_secret_post, and no acr can be configured', () => {
    const settings = upstreamSettings(loadConfig({
      SOCLE_OIDC_UPSTREAM_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
      SOCLE_OIDC_UPSTREAM_DISCOVERY_URL: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/wallet-openid-configuration',
      SOCLE_OIDC_UPSTREAM_CLIENT_ID: 'socle',
      SOCLE_OIDC_UPSTREAM_CLIENT_SECRET: 's3cret',
      SOCLE_OIDC_UPSTREAM_TOKEN_AUTH: 'client_secret_post',
      SOCLE_OIDC_UPSTREAM_ACR: 'none',
    }), origin);
    assert.ok(settings);
    assert.match(settings.discoveryUrl, /wallet-openid-configuration$/);
    assert.equal(settings.tokenAuth, 'client_secret_post');
    assert.equal(settings.acr, undefined);
  });
});

for (const backend of backendNames()) {
  test(`without an upstream issuer, Socle serves no federation route [${backend}]`, async () => {
    const socle = await startFederatedSocle(backend, { port: await freePort() });
    try {
      for (const path of ['/oidc-upstream/login?interaction=abc', '/oidc-upstream/callback?state=x&code=y', '/interaction/abc/upstream']) {
        const response = await fetch(`${socle.url}${path}`, { redirect: 'manual' });
        assert.equal(response.status, 404, path);
      }
    } finally {
      await socle.close();
    }
  });
}
