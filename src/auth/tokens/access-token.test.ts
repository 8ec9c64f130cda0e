import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../core/clock.js';
import { mintAccessToken, jwksOf, verifyAccessToken } from './access-token.js';
import { SigningKeyStore, type StoredSigningKey } from './key-store.js';
import type { Collection } from '../../storage/collection.js';

/** An in-memory stand-in for the collection: the key store's logic is what is tested here. */
function memoryCollection(): Collection<StoredSigningKey> {
  const map = new Map<string, StoredSigningKey>();
  return {
    get: async (key: string) => map.get(key),
    put: async (key: string, value: StoredSigningKey) => { map.set(key, value); },
    scan: async () => [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value, updatedAt: 0 })),
  } as unknown as Collection<StoredSigningKey>;
}

const ISSUER = 'http://127.0.0.1:8080/oidc';
const AUDIENCE = 'http://127.0.0.1:8080/fhir';

test('a minted token verifies into the principal it was minted for', async () => {
  const store = new SigningKeyStore(memoryCollection(), () => systemClock.now());
  const [key] = await store.activeKeys();
  const token = await mintAccessToken(key!, {
    subject: '810100394740', clientId: 'app', scopes: ['user/*.rs', 'openid'], issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 60,
    socle_kind: 'practitioner', fhirUser: 'Practitioner/p1', idnat: '810100394740',
  });
  const principal = await verifyAccessToken(token, jwksOf(await store.activeKeys()), { issuer: ISSUER, audience: AUDIENCE });
  assert.deepEqual(principal, {
    kind: 'practitioner', subject: '810100394740', clientId: 'app', scopes: ['user/*.rs', 'openid'], issuer: ISSUER,
    fhirUser: 'Practitioner/p1', nationalId: '810100394740',
  });
});

test('tokens signed before a rotation still verify; a foreign issuer or audience does not', async () => {
  const store = new SigningKeyStore(memoryCollection(), () => systemClock.now());
  const [old] = await store.activeKeys();
  const token = await mintAccessToken(old!, { subject: 'admin', clientId: 'cli', scopes: ['system/*.*'], issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 60, socle_kind: 'operator' });
  await store.rotate();
  const keys = await store.activeKeys();
  assert.equal(keys.length, 4, 'an ES256 and an RS256 key, new and retired');
  assert.notEqual(keys[0]!.kid, old!.kid, 'the new key signs');
  assert.equal((await verifyAccessToken(token, jwksOf(keys), { issuer: ISSUER })).subject, 'admin');
  await assert.rejects(verifyAccessToken(token, jwksOf(keys), { issuer: 'http://elsewhere/oidc' }));
  await assert.rejects(verifyAccessToken(token, jwksOf(keys), { issuer: ISSUER, audience: 'http://other/fhir' }));
});

test('an expired token is refused', async () => {
  const store = new SigningKeyStore(memoryCollection(), () => systemClock.now());
  const [key] = await store.activeKeys();
  const token = await mintAccessToken(key!, { subject: 'admin', clientId: 'cli', scopes: [], issuer: ISSUER, audience: AUDIENCE, ttlSeconds: -10, socle_kind: 'operator' });
  await assert.rejects(verifyAccessToken(token, jwksOf(await store.activeKeys()), { issuer: ISSUER }), /exp/);
});
