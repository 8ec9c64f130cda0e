/**
 * SMART Backend Services' rules on the private_key_jwt client assertion, over
 * HTTP at the token endpoint: exp at most five minutes ahead, aud the token
 * URL (backend-services.html#request-access-token) or the issuer (RFC 7523 §3). The provider's own
 * checks (signature, replay) are covered in oidc-provider.test.ts.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { authOf, DEMO_OVERRIDES, postForm } from './oidc-support.js';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function registerBackend(server: TestServer): Promise<{ clientId: string; privateKey: KeyLike }> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'backend-key', alg: 'ES384', use: 'sig' };
  const { token } = await authOf(server).mintToken(undefined, undefined, 120);
  const registered = await server.request('POST', '/auth/clients', {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: { client_name: 'Backend', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: { keys: [jwk] }, scope: 'system/Patient.rs' },
  });
  assert.equal(registered.status, 201, registered.text);
  return { clientId: registered.body.client_id as string, privateKey };
}

function assertion(clientId: string, key: KeyLike, options: { expiresIn: number; aud: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: 'backend-key', typ: 'JWT' })
    .setIssuer(clientId).setSubject(clientId).setAudience(options.aud)
    .setJti(randomUUID()).setExpirationTime(now + options.expiresIn)
    .sign(key);
}

forEachBackend('SMART Backend Services client assertion', (server) => {
  test('an assertion living more than five minutes, or addressed to another URL than the token endpoint or the issuer, is invalid_client', async () => {
    const { clientId, privateKey } = await registerBackend(server());
    const tokenUrl = `${server().url}/oidc/token`;
    const ask = async (expiresIn: number, aud: string) => postForm(server(), '/oidc/token', {
      grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(clientId, privateKey, { expiresIn, aud }),
    });
    const fine = await ask(290, tokenUrl);
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    // The issuer identifier, as RFC 7523 §3 allows and current OAuth libraries send it.
    const byIssuer = await ask(60, `${server().url}/oidc`);
    assert.equal(byIssuer.status, 200, JSON.stringify(byIssuer.body));
    for (const [expiresIn, aud] of [[600, tokenUrl], [360, tokenUrl], [60, `${server().url}/fhir`], [60, 'https://other.example/oidc/token']] as const) {
      const refused = await ask(expiresIn, aud);
      assert.equal(refused.status, 401, `${expiresIn}s for ${aud}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.body.error, 'invalid_client');
    }
  });

  test('introspection accepts an assertion addressed to the introspection endpoint', async () => {
    const { clientId, privateKey } = await registerBackend(server());
    const issued = await postForm(server(), '/oidc/token', {
      grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(clientId, privateKey, { expiresIn: 60, aud: `${server().url}/oidc/token` }),
    });
    const introspected = await postForm(server(), '/oidc/token/introspection', {
      token: issued.body.access_token as string, client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(clientId, privateKey, { expiresIn: 60, aud: `${server().url}/oidc/token/introspection` }),
    });
    assert.equal(introspected.status, 200, JSON.stringify(introspected.body));
    assert.equal(introspected.body.active, true);
  });
}, DEMO_OVERRIDES);
