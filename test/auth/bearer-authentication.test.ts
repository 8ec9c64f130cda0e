/**
 * Bearer authentication of the FHIR API (RFC 6750) through HTTP, on both
 * backends: no token, malformed, foreign, expired and wrong-audience tokens
 * get 401 with a WWW-Authenticate challenge; a missing scope gets 403 with
 * insufficient_scope; the CapabilityStatement stays public.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair, exportJWK } from 'jose';
import { mintAccessToken } from '../../src/auth/tokens/access-token.js';
import { forEachBackend } from '../support/test-server.js';

function assertOutcome(body: any, code: string, key: string): void {
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.equal(body.issue[0].code, code);
  assert.equal(body.issue[0].details.coding[0].code, key);
}

forEachBackend('bearer authentication', (server) => {
  test('a request without a token gets 401, an OperationOutcome and a bare Bearer challenge', async () => {
    const result = await server().anonymous.get('Patient');
    assert.equal(result.status, 401);
    assert.equal(result.headers.get('www-authenticate'), 'Bearer realm="socle"');
    assertOutcome(result.body, 'login', 'auth.token-missing');
  });

  test('every method and route below /fhir but the CapabilityStatement needs the token', async () => {
    for (const [method, path] of [['GET', 'Patient/x'], ['POST', 'Patient'], ['PUT', 'Patient/x'], ['DELETE', 'Patient/x'], ['GET', '_history'], ['POST', ''], ['GET', 'Patient/x/$everything'], ['GET', 'Binary/x']] as const) {
      const result = await server().anonymous.request(method, path, method === 'GET' || method === 'DELETE' ? {} : { body: { resourceType: 'Patient' } });
      assert.equal(result.status, 401, `${method} ${path}`);
    }
    const metadata = await server().anonymous.get('metadata');
    assert.equal(metadata.status, 200);
    assert.equal(metadata.body.resourceType, 'CapabilityStatement');
  });

  test('a malformed or non-Bearer Authorization header is refused with invalid_token', async () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not.a.jwt', 'Bearer a b']) {
      const result = await server().anonymous.get('Patient', { authorization: value });
      assert.equal(result.status, 401, value);
      assert.match(result.headers.get('www-authenticate') ?? '', /^Bearer realm="socle", error="invalid_token"/, value);
    }
  });

  test('a token signed with a key that is not the server’s is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'foreign', alg: 'ES256' };
    const token = await mintAccessToken({ kid: 'foreign', jwk, createdAt: Date.now() }, {
      ...server().endpoints, subject: 'intruder', clientId: 'x', scopes: ['system/*.cruds'], socle_kind: 'operator', ttlSeconds: 600,
    });
    const result = await server().anonymous.get('Patient', { authorization: `Bearer ${token}` });
    assert.equal(result.status, 401);
    assertOutcome(result.body, 'login', 'auth.token-invalid');
  });

  test('an expired token gets 401 expired; a valid one of the same principal passes', async () => {
    const principal = { kind: 'operator' as const, scopes: ['system/*.cruds'] };
    const expired = await server().tokenFor({ ...principal, ttlSeconds: -60 });
    const refused = await server().anonymous.get('Patient', { authorization: `Bearer ${expired}` });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assertOutcome(refused.body, 'expired', 'auth.token-expired');
    const fresh = await server().tokenFor(principal);
    assert.equal((await server().anonymous.get('Patient', { authorization: `Bearer ${fresh}` })).status, 200);
  });

  test('a token for another audience or from another issuer is refused', async () => {
    const { store, clock } = server().running.platform.engine.deps;
    void store; void clock;
    const good = await server().tokenFor({ kind: 'operator', scopes: ['system/*.cruds'] });
    const [header, payload, signature] = good.split('.');
    // Any change to the payload breaks the signature: the audience cannot be swapped.
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: 'https://elsewhere/fhir' })).toString('base64url')}.${signature}`;
    assert.equal((await server().anonymous.get('Patient', { authorization: `Bearer ${forged}` })).status, 401);
    const foreignIssuer = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: 'https://evil.example/oidc' })).toString('base64url')}.${signature}`;
    const result = await server().anonymous.get('Patient', { authorization: `Bearer ${foreignIssuer}` });
    assert.equal(result.status, 401);
    assertOutcome(result.body, 'login', 'auth.token-invalid');
  });

  test('a token whose scopes do not cover the interaction gets 403 insufficient_scope', async () => {
    const reader = server().as({ kind: 'operator', scopes: ['system/Patient.rs'] });
    assert.equal((await reader.get('Patient')).status, 200);
    const write = await reader.post('Patient', { resourceType: 'Patient' });
    assert.equal(write.status, 403);
    assert.match(write.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    assertOutcome(write.body, 'forbidden', 'auth.scope-insufficient');
    assert.equal((await reader.get('Observation')).status, 403);
    // openid alone grants no data at all.
    assert.equal((await server().as({ kind: 'operator', scopes: ['openid'] }).get('Patient')).status, 403);
    // An operator's user/ scopes are not system scopes.
    assert.equal((await server().as({ kind: 'operator', scopes: ['user/*.cruds'] }).get('Patient')).status, 403);
  });
});
