/**
 * The token endpoint's answers as RFC 6749 §5 defines them, over real HTTP on
 * both backends: the scope of a client credentials request (§3.3, §5.2
 * invalid_scope, and SMART Backend Services' required `scope` in the
 * response), the error codes of refresh and client authentication failures
 * (§5.2), and the caching headers of every answer (§5.1).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DEMO_APP, DEMO_SECRETS, DEMO_SYSTEM_CLIENT_ID } from '../../src/auth/accounts/demo-accounts.js';
import { MODEL_LOOKUPS, type StoredModel } from '../../src/auth/oidc/adapter.js';
import { systemClock } from '../../src/core/clock.js';
import { Collection } from '../../src/storage/collection.js';
import { forEachBackend } from '../support/test-server.js';
import { authOf, basic, DEMO_OVERRIDES, DOCTOR, loginAndExchange, postForm } from './oidc-support.js';

const SYSTEM_AUTH = basic(DEMO_SYSTEM_CLIENT_ID, DEMO_SECRETS.systemClientSecret);

/** A form POST whose body is sent in chunks, without Content-Length (HTTP/1.1 chunked transfer coding). */
async function postChunked(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = new TextEncoder().encode(body);
      controller.enqueue(bytes.slice(0, 10));
      controller.enqueue(bytes.slice(10));
      controller.close();
    },
  });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: stream, duplex: 'half' } as RequestInit);
  return { status: response.status, body: await response.json() };
}

forEachBackend('token endpoint (RFC 6749 §5)', (server) => {
  test('client credentials with no scope the client may get is invalid_scope, never a token without scope', async () => {
    // A read-only system client: a write scope, another context, an OpenID scope, a blank scope.
    for (const scope of ['system/Patient.c', 'user/Patient.rs', 'patient/*.rs', 'openid', ' ']) {
      const { status, body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope }, SYSTEM_AUTH);
      assert.equal(status, 400, `${JSON.stringify(scope)}: ${JSON.stringify(body)}`);
      assert.equal(body.error, 'invalid_scope', JSON.stringify(scope));
      assert.equal(body.access_token, undefined);
      assert.equal(body.scope, scope.trim() || undefined, 'the error names the scope refused, when there is one');
    }
    // Part of the request may be granted: the response then names what was (RFC 6749 §3.3).
    const partly = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.c system/Patient.rs' }, SYSTEM_AUTH);
    assert.equal(partly.status, 200, JSON.stringify(partly.body));
    assert.equal(partly.body.scope, 'system/Patient.rs');
  });

  test('client credentials with an empty scope parameter get the registered system scopes, like one without it', async () => {
    const { status, body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: '' }, SYSTEM_AUTH);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'system/*.rs');
    assert.deepEqual((await authOf(server()).verifyToken(body.access_token))?.scopes, ['system/*.rs']);
  });

  test('client credentials sent as a chunked body (no Content-Length) get the default scope too', async () => {
    for (const form of ['grant_type=client_credentials', 'grant_type=client_credentials&scope=']) {
      const { status, body } = await postChunked(`${server().url}/oidc/token`, form, SYSTEM_AUTH);
      assert.equal(status, 200, `${form}: ${JSON.stringify(body)}`);
      assert.equal(body.scope, 'system/*.rs', form);
    }
    const explicit = await postChunked(`${server().url}/oidc/token`, 'grant_type=client_credentials&scope=system%2FPatient.rs', SYSTEM_AUTH);
    assert.equal(explicit.body.scope, 'system/Patient.rs', 'an explicit scope is kept');
    // Past the provider's 56 kB limit, the body is the provider's to refuse, as with a Content-Length.
    const huge = await postChunked(`${server().url}/oidc/token`, `grant_type=client_credentials&pad=${'x'.repeat(60_000)}`, SYSTEM_AUTH);
    assert.equal(huge.status, 400);
    assert.equal(huge.body.error, 'invalid_request');
  });

  test('a refresh with an unknown or revoked refresh token and no client_id is invalid_grant', async () => {
    const unknown = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: 'bogus' });
    assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
    assert.equal(unknown.body.error, 'invalid_grant');
    const tokens = await loginAndExchange(server(), DOCTOR, 'openid offline_access user/*.rs');
    const revoked = await postForm(server(), '/oidc/token/revocation', { token: tokens.refresh_token, client_id: DEMO_APP.clientId });
    assert.equal(revoked.status, 200);
    const afterRevocation = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(afterRevocation.status, 400);
    assert.equal(afterRevocation.body.error, 'invalid_grant');
  });

  test('an expired refresh token without client_id is invalid_grant', async () => {
    const tokens = await loginAndExchange(server(), DOCTOR, 'openid offline_access user/*.rs');
    // Age the stored token past its expiry, as fourteen days would.
    const stored = new Collection<StoredModel>(server().running.store, 'auth.oidc.RefreshToken', systemClock, MODEL_LOOKUPS);
    const entry = await stored.get(tokens.refresh_token);
    assert.ok(entry, 'the refresh token is stored under its value');
    const past = Math.floor(Date.now() / 1000) - 10;
    await stored.put(tokens.refresh_token, { payload: { ...entry.payload, exp: past }, expiresAt: past * 1000 });
    const refused = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'invalid_grant');
  });

  test('a request without any client authentication is invalid_client (401)', async () => {
    const forms: Record<string, string>[] = [{ grant_type: 'client_credentials' }, { grant_type: 'client_credentials', scope: 'system/Patient.rs' }];
    for (const form of forms) {
      const { status, body } = await postForm(server(), '/oidc/token', form);
      assert.equal(status, 401, JSON.stringify(body));
      assert.equal(body.error, 'invalid_client');
    }
  });

  test('a grant type the client is not registered for is unauthorized_client', async () => {
    // The demo app is public and registered for the authorization code and refresh only.
    const publicApp = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', client_id: DEMO_APP.clientId, scope: 'system/*.rs' });
    assert.equal(publicApp.status, 400, JSON.stringify(publicApp.body));
    assert.equal(publicApp.body.error, 'unauthorized_client');
    // The system client is registered for client credentials only.
    const system = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: 'whatever' }, SYSTEM_AUTH);
    assert.equal(system.status, 400, JSON.stringify(system.body));
    assert.equal(system.body.error, 'unauthorized_client');
  });

  test('token responses, successes and errors, are neither stored nor cached (Cache-Control: no-store, Pragma: no-cache)', async () => {
    const ok = await fetch(`${server().url}/oidc/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...SYSTEM_AUTH }, body: 'grant_type=client_credentials',
    });
    assert.equal(ok.status, 200);
    const refused = await fetch(`${server().url}/oidc/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=bogus',
    });
    assert.equal(refused.status, 400);
    for (const response of [ok, refused]) {
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('pragma'), 'no-cache');
    }
  });
}, DEMO_OVERRIDES);
