/**
 * Production federation, bearer side, on both backends: access tokens of a
 * configured trusted issuer (SOCLE_TRUSTED_ISSUERS) are verified against its
 * JWKS, fetched over HTTP and cached, and the professional is mapped to the
 * directory Practitioner carrying their idNat_PS (Pro Santé Connect's
 * preferred_username); an unknown professional is refused.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { forEachBackend } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'psc-1', alg: 'ES256', use: 'sig' };
let jwksFetches = 0;
const jwksServer = createServer((request, response) => {
  if (request.url !== '/realms/esante-wallet/protocol/openid-connect/certs') return void response.writeHead(404).end();
  jwksFetches += 1;
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
const ISSUER = `${origin}/realms/esante-wallet`;
const JWKS = `${ISSUER}/protocol/openid-connect/certs`;
after(() => jwksServer.close());

async function pscToken(claims: Json, options: { audience?: string; expiresIn?: string; key?: Parameters<SignJWT["sign"]>[0] } = {}): Promise<string> {
  return new SignJWT({ azp: 'psc-app', scope: 'openid scope_all', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'psc-1' })
    .setIssuer(ISSUER).setAudience(options.audience ?? 'socle-api').setSubject(`f:${String(claims.preferred_username)}`)
    .setIssuedAt().setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey);
}

forEachBackend('bearer federation', (server) => {
  let practitioner: Json;
  before(async () => {
    practitioner = await server().create({ resourceType: 'Practitioner', identifier: [{ system: ID_NAT_PS, value: '810000000026' }], name: [{ family: 'Pasteur', given: ['Louis'] }] });
  });

  test('a Pro Santé Connect token opens the API as the directory Practitioner with that idNat_PS', async () => {
    const token = await pscToken({ preferred_username: '810000000026', given_name: 'Louis', family_name: 'Pasteur' });
    const pro = server().anonymous;
    const headers = { authorization: `Bearer ${token}`, 'x-request-id': 'federated-1' };
    assert.equal((await pro.get(`Practitioner/${practitioner.id}`, headers)).status, 200);
    // A professional without any care relationship sees no patient.
    await server().create({ resourceType: 'Patient', name: [{ family: 'Sans lien' }] });
    const patients = await pro.get('Patient', headers);
    assert.equal(patients.status, 200);
    assert.equal((patients.body.entry ?? []).length, 0);
    const traces = await server().get(`AuditEvent?agent=Practitioner/${practitioner.id}&_count=50`);
    const event = traces.body.entry.map((e: Json) => e.resource).find((e: Json) => e.extension?.[0]?.valueString === 'federated-1');
    const user = event.agent.find((a: Json) => a.requestor);
    assert.deepEqual(user.who.identifier, { system: ID_NAT_PS, value: '810000000026' });
    assert.equal(user.who.display, 'Louis Pasteur');
  });

  test('the JWKS is fetched once and cached across tokens', async () => {
    const before = jwksFetches;
    for (let i = 0; i < 3; i += 1) {
      const token = await pscToken({ preferred_username: '810000000026', jti: `t${i}` });
      assert.equal((await server().anonymous.get(`Practitioner/${practitioner.id}`, { authorization: `Bearer ${token}` })).status, 200);
    }
    assert.ok(jwksFetches >= 1);
    assert.equal(jwksFetches, before === 0 ? 1 : before);
  });

  test('an unknown professional gets 403; a wrong audience, a foreign key or an expired token 401', async () => {
    const unknown = await server().anonymous.get('Patient', { authorization: `Bearer ${await pscToken({ preferred_username: '810000099999' })}` });
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.issue[0].details.coding[0].code, 'auth.practitioner-unmapped');
    const audience = await server().anonymous.get('Patient', { authorization: `Bearer ${await pscToken({ preferred_username: '810000000026' }, { audience: 'other-api' })}` });
    assert.equal(audience.status, 401);
    const { privateKey: foreign } = await generateKeyPair('ES256');
    const forged = await server().anonymous.get('Patient', { authorization: `Bearer ${await pscToken({ preferred_username: '810000000026' }, { key: foreign })}` });
    assert.equal(forged.status, 401);
    const expired = await server().anonymous.get('Patient', { authorization: `Bearer ${await pscToken({ preferred_username: '810000000026' }, { expiresIn: '-1m' })}` });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.issue[0].details.coding[0].code, 'auth.token-expired');
  });
}, { trustedIssuers: `${ISSUER}|${JWKS}|socle-api`, auditWait: 'on' });
