/**
 * The OpenID provider over real HTTP on both backends: discovery, JWKS and key
 * rotation, client credentials with a secret and with private_key_jwt, the
 * JWT access tokens (RFC 9068) and their verification by Socle's own
 * verifier, introspection, revocation, expiry, and OAuth errors by RFC code.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DEMO_SECRETS, DEMO_SYSTEM_CLIENT_ID } from '../../src/auth/accounts/demo-accounts.js';
import { verifyAccessToken } from '../../src/auth/tokens/access-token.js';
import { forEachBackend } from '../support/test-server.js';
import { authOf, basic, DEMO_OVERRIDES, postForm } from './oidc-support.js';

const SYSTEM_AUTH = basic(DEMO_SYSTEM_CLIENT_ID, DEMO_SECRETS.systemClientSecret);

forEachBackend('OpenID provider', (server) => {
  test('discovery names the issuer at /oidc and every endpoint under it', async () => {
    const { status, body } = await server().get('/oidc/.well-known/openid-configuration');
    assert.equal(status, 200);
    assert.equal(body.issuer, `${server().url}/oidc`);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint']) {
      assert.ok(String(body[endpoint]).startsWith(`${server().url}/oidc/`), endpoint);
    }
    assert.deepEqual(body.code_challenge_methods_supported, ['S256']);
    assert.ok(body.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    assert.ok(body.grant_types_supported.includes('client_credentials'));
    assert.deepEqual(body.acr_values_supported, ['eidas1']);
    assert.ok(body.claims_supported.includes('SubjectRefPro'));
  });

  test('the JWKS publishes public keys only: an EC key (ES256) and an RSA key (RS256)', async () => {
    const { status, body } = await server().get('/oidc/jwks');
    assert.equal(status, 200);
    assert.deepEqual(body.keys.map((k: { kty: string; alg: string }) => `${k.kty} ${k.alg}`).sort(), ['EC ES256', 'RSA RS256']);
    for (const key of body.keys) {
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[part], undefined, `no private part (${part})`);
    }
  });

  test('discovery lists RS256 for ID tokens, as OpenID Connect Discovery and SMART 2.x require, and ES256', async () => {
    const { body } = await server().get('/oidc/.well-known/openid-configuration');
    assert.ok(body.id_token_signing_alg_values_supported.includes('RS256'));
    assert.ok(body.id_token_signing_alg_values_supported.includes('ES256'));
  });

  test('client credentials with a secret give a JWT access token Socle verifies', async () => {
    const { status, body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs system/*.cruds' }, SYSTEM_AUTH);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'Bearer');
    // Least privilege: only the scopes the client is registered for (system/*.rs) come back.
    assert.equal(body.scope, 'system/Patient.rs');
    assert.equal(decodeProtectedHeader(body.access_token).typ, 'at+jwt');
    const { endpoints } = authOf(server());
    const jwks = (await server().get('/oidc/jwks')).body;
    const principal = await verifyAccessToken(body.access_token, jwks, { issuer: endpoints().issuer, audience: endpoints().fhirBase });
    assert.equal(principal.kind, 'system');
    assert.equal(principal.subject, DEMO_SYSTEM_CLIENT_ID);
    assert.deepEqual(principal.scopes, ['system/Patient.rs']);
    assert.equal(endpoints().fhirBase, `${server().url}/fhir`);
  });

  test('client credentials without a scope parameter get the system scopes the client is registered for (RFC 6749 §3.3)', async () => {
    for (const [how, form, headers] of [
      ['secret in the header', { grant_type: 'client_credentials' }, SYSTEM_AUTH],
      ['secret in the form', { grant_type: 'client_credentials', client_id: DEMO_SYSTEM_CLIENT_ID, client_secret: 'socle-demo-system-secret' }, {}],
    ] as const) {
      const { status, body } = await postForm(server(), '/oidc/token', form, headers);
      assert.equal(status, 200, `${how}: ${JSON.stringify(body)}`);
      assert.equal(body.scope, 'system/*.rs', how);
      assert.deepEqual((await authOf(server()).verifyToken(body.access_token))?.scopes, ['system/*.rs'], how);
    }
    // The default is what the client could have asked for: it still has to authenticate.
    const wrong = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', client_id: DEMO_SYSTEM_CLIENT_ID, client_secret: 'not-the-secret' });
    assert.equal(wrong.body.error, 'invalid_client');
  });

  test('a wrong secret or an unknown client is invalid_client, a missing grant type invalid_request', async () => {
    const wrong = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials' }, basic(DEMO_SYSTEM_CLIENT_ID, 'not-the-secret'));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    const unknown = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials' }, basic('nobody', 'x'));
    assert.equal(unknown.body.error, 'invalid_client');
    const missing = await postForm(server(), '/oidc/token', {}, SYSTEM_AUTH);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
  });

  test('a body that is not a form is refused by RFC code, not with a 5xx', async () => {
    const response = await fetch(`${server().url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...SYSTEM_AUTH }, body: '{"grant_type":' });
    assert.ok(response.status >= 400 && response.status < 500, String(response.status));
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });

  test('private_key_jwt: an administrator registers a client with a JWKS, which then authenticates with a signed assertion', async () => {
    const auth = authOf(server());
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'client-key-1', alg: 'ES256', use: 'sig' };
    const { token: adminToken } = await auth.mintToken(undefined, undefined, 120);
    const registered = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: { client_name: 'Batch', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: { keys: [jwk] }, scope: 'system/Observation.rs' },
    });
    assert.equal(registered.status, 201, registered.text);
    assert.equal(registered.body.client_secret, undefined, 'no secret for a JWKS client');
    const clientId = registered.body.client_id as string;
    const tokenEndpoint = `${server().url}/oidc/token`;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'client-key-1' })
      .setIssuer(clientId).setSubject(clientId).setAudience(tokenEndpoint)
      .setJti(randomUUID()).setIssuedAt().setExpirationTime('60s')
      .sign(privateKey);
    const form = { grant_type: 'client_credentials', scope: 'system/Observation.rs', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
    const { status, body } = await postForm(server(), '/oidc/token', form);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal((await auth.verifyToken(body.access_token))?.clientId, clientId);
    // The same assertion twice is a replay.
    const replay = await postForm(server(), '/oidc/token', form);
    assert.equal(replay.body.error, 'invalid_client');
  });

  test('OpenID discovery and SMART configuration advertise the same client authentication, which registration accepts', async () => {
    const discovery = (await server().get('/oidc/.well-known/openid-configuration')).body;
    const smart = (await server().get('/fhir/.well-known/smart-configuration')).body;
    assert.deepEqual([...discovery.token_endpoint_auth_methods_supported].sort(), ['client_secret_basic', 'client_secret_post', 'none', 'private_key_jwt']);
    assert.deepEqual([...discovery.token_endpoint_auth_methods_supported].sort(), [...smart.token_endpoint_auth_methods_supported].sort());
    assert.deepEqual([...discovery.token_endpoint_auth_signing_alg_values_supported].sort(), [...smart.token_endpoint_auth_signing_alg_values_supported].sort());
    for (const alg of ['HS256', 'EdDSA']) assert.ok(!discovery.token_endpoint_auth_signing_alg_values_supported.includes(alg), alg);
    // SMART App Launch 2.0, asymmetric client authentication: servers SHALL support RS384 and ES384.
    for (const alg of ['RS384', 'ES384']) assert.ok(smart.token_endpoint_auth_signing_alg_values_supported.includes(alg), alg);
    const { token } = await authOf(server()).mintToken(undefined, undefined, 60);
    const secretJwt = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: { client_name: 'HMAC', token_endpoint_auth_method: 'client_secret_jwt', grant_types: ['client_credentials'], scope: 'system/*.rs' },
    });
    assert.equal(secretJwt.status, 400, 'client_secret_jwt, not advertised, is not registered either');
  });

  test('private_key_jwt with an RS384 assertion, as SMART Backend Services clients sign them', async () => {
    const auth = authOf(server());
    const { privateKey, publicKey } = await generateKeyPair('RS384', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rs384-key', alg: 'RS384', use: 'sig' };
    const { token: adminToken } = await auth.mintToken(undefined, undefined, 120);
    const registered = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: { client_name: 'Backend', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: { keys: [jwk] }, scope: 'system/Observation.rs' },
    });
    assert.equal(registered.status, 201, registered.text);
    const clientId = registered.body.client_id as string;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS384', kid: 'rs384-key' })
      .setIssuer(clientId).setSubject(clientId).setAudience(`${server().url}/oidc/token`)
      .setJti(randomUUID()).setIssuedAt().setExpirationTime('60s')
      .sign(privateKey);
    const { status, body } = await postForm(server(), '/oidc/token', {
      grant_type: 'client_credentials', scope: 'system/Observation.rs', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
    });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'system/Observation.rs');
  });

  test('client registration is for operators only and refuses bad metadata with a catalogued error', async () => {
    const auth = authOf(server());
    const anonymous = await server().anonymous.request('POST', '/auth/clients', { headers: { 'content-type': 'application/json' }, body: { client_name: 'x' } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.issue[0].details.coding[0].code, 'auth.token-missing');
    const { token: patientToken } = await auth.mintToken('285075935012324', undefined, 60);
    const notOperator = await server().request('POST', '/auth/clients', { headers: { authorization: `Bearer ${patientToken}`, 'content-type': 'application/json' }, body: { client_name: 'x' } });
    assert.equal(notOperator.status, 403);
    const { token } = await auth.mintToken(undefined, undefined, 60);
    const publicWithCredentials = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: { client_name: 'Bad', token_endpoint_auth_method: 'none', grant_types: ['client_credentials'], scope: 'system/*.rs' },
    });
    assert.equal(publicWithCredentials.status, 400);
    assert.equal(publicWithCredentials.body.issue[0].details.coding[0].code, 'auth.client-invalid');
    const badScope = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: { client_name: 'Bad', token_endpoint_auth_method: 'none', redirect_uris: ['https://app.example/cb'], scope: 'openid everything' },
    });
    assert.equal(badScope.status, 400);
  });

  test('introspection tells the token client about its token; revocation makes it inactive', async () => {
    const { body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, SYSTEM_AUTH);
    const token = body.access_token as string;
    const active = await postForm(server(), '/oidc/token/introspection', { token }, SYSTEM_AUTH);
    assert.equal(active.status, 200);
    assert.equal(active.body.active, true);
    assert.equal(active.body.client_id, DEMO_SYSTEM_CLIENT_ID);
    assert.equal(active.body.scope, 'system/Patient.rs');
    const revoked = await postForm(server(), '/oidc/token/revocation', { token }, SYSTEM_AUTH);
    assert.equal(revoked.status, 200);
    const after = await postForm(server(), '/oidc/token/introspection', { token }, SYSTEM_AUTH);
    assert.deepEqual(after.body, { active: false });
    assert.equal(await authOf(server()).verifyToken(token), undefined, 'the revoked token is no longer accepted');
    assert.equal(await authOf(server()).isRevoked(decodeJwt(token).jti as string), true);
    const read = await server().anonymous.request('GET', 'Patient?_count=1', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 401, 'the FHIR API refuses the revoked token');
    assert.match(read.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('another client cannot revoke a token: refused with invalid_request (RFC 7009 §2.1), the token stays active', async () => {
    const { token: adminToken } = await authOf(server()).mintToken(undefined, undefined, 60);
    const other = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: { client_name: 'Other', grant_types: ['client_credentials'], scope: 'system/Patient.rs' },
    });
    assert.equal(other.status, 201, other.text);
    const { body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, SYSTEM_AUTH);
    const token = body.access_token as string;
    const refused = await postForm(server(), '/oidc/token/revocation', { token }, basic(other.body.client_id, other.body.client_secret));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_request');
    assert.equal((await postForm(server(), '/oidc/token/introspection', { token }, SYSTEM_AUTH)).body.active, true);
    const unknown = await postForm(server(), '/oidc/token/revocation', { token: 'not-a-token' }, basic(other.body.client_id, other.body.client_secret));
    assert.equal(unknown.status, 200, 'an invalid token is no error (RFC 7009 §2.2)');
  });

  test('key rotation: new tokens are signed with the new key, tokens of the old key stay valid', async () => {
    const auth = authOf(server());
    const before = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, SYSTEM_AUTH);
    const oldKid = decodeProtectedHeader(before.body.access_token).kid;
    await auth.rotateKeys();
    const jwks = (await server().get('/oidc/jwks')).body;
    // The EC keys sign access tokens (the RSA keys, rotated with them, sign ID tokens).
    const kids = jwks.keys.filter((k: { kty: string }) => k.kty === 'EC').map((k: { kid: string }) => k.kid);
    assert.ok(kids.includes(oldKid), 'the retired key is still published');
    assert.equal(kids.length, 2);
    assert.equal(jwks.keys.length, 4);
    const after = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, SYSTEM_AUTH);
    const newKid = decodeProtectedHeader(after.body.access_token).kid;
    assert.notEqual(newKid, oldKid);
    assert.equal(kids[0], newKid, 'the signing key comes first');
    assert.ok(await auth.verifyToken(before.body.access_token));
    assert.ok(await auth.verifyToken(after.body.access_token));
  });

  test('SMART configuration at the FHIR base and at the root', async () => {
    for (const path of ['/fhir/.well-known/smart-configuration', '/.well-known/smart-configuration']) {
      const { status, body } = await server().get(path);
      assert.equal(status, 200, path);
      assert.equal(body.issuer, `${server().url}/oidc`);
      assert.equal(body.token_endpoint, `${server().url}/oidc/token`);
      assert.ok(body.capabilities.includes('launch-ehr') && body.capabilities.includes('launch-standalone'));
      assert.ok(body.capabilities.includes('permission-v1') && body.capabilities.includes('permission-v2'));
      assert.deepEqual(body.code_challenge_methods_supported, ['S256']);
    }
  });

  test('the CapabilityStatement, public, names SMART on FHIR and the same OAuth endpoints', async () => {
    const { status, body } = await server().anonymous.get('metadata');
    assert.equal(status, 200);
    const security = body.rest[0].security;
    assert.equal(security.service[0].coding[0].code, 'SMART-on-FHIR');
    const uris = Object.fromEntries(security.extension[0].extension.map((e: { url: string; valueUri: string }) => [e.url, e.valueUri]));
    assert.equal(uris.authorize, `${server().url}/oidc/auth`);
    assert.equal(uris.token, `${server().url}/oidc/token`);
  });
}, DEMO_OVERRIDES);

forEachBackend('OpenID provider token expiry', (server) => {
  test('an access token is refused once its lifetime is over', async () => {
    const { body } = await postForm(server(), '/oidc/token', { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, SYSTEM_AUTH);
    assert.equal(body.expires_in, 5);
    assert.ok(await authOf(server()).verifyToken(body.access_token));
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    assert.equal(await authOf(server()).verifyToken(body.access_token), undefined);
    const introspected = await postForm(server(), '/oidc/token/introspection', { token: body.access_token }, SYSTEM_AUTH);
    assert.equal(introspected.body.active, false);
  });
}, { ...DEMO_OVERRIDES, accessTokenTtl: 5 });
