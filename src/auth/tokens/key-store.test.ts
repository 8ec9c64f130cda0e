import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import type { Collection } from '../../storage/collection.js';
import { publicJwk, SigningKeyStore, type StoredSigningKey } from './key-store.js';

/** An in-memory stand-in for the collection: the key store's logic is what is tested here. */
function memoryCollection(map = new Map<string, StoredSigningKey>()): Collection<StoredSigningKey> {
  return {
    get: async (key: string) => map.get(key),
    put: async (key: string, value: StoredSigningKey) => { map.set(key, value); },
    scan: async () => [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value, updatedAt: 0 })),
  } as unknown as Collection<StoredSigningKey>;
}

const DAY_MS = 86_400_000;

test('a new store holds an ES256 key, first (it signs access tokens), and an RS256 key for ID tokens', async () => {
  const store = new SigningKeyStore(memoryCollection(), () => Date.now());
  const keys = await store.activeKeys();
  assert.deepEqual(keys.map((k) => [k.jwk.alg, k.jwk.kty]), [['ES256', 'EC'], ['RS256', 'RSA']]);
  assert.ok(keys.every((k) => k.jwk.d !== undefined && k.jwk.kid === k.kid), 'private JWKs with their kid');
  const rsa = publicJwk(keys[1]!.jwk);
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(rsa[part as keyof typeof rsa], undefined, part);
  assert.deepEqual((await store.activeKeys()).map((k) => k.kid), keys.map((k) => k.kid), 'kept, not made again');
});

test('a store made before RSA keys (one EC key) gets an RS256 key; its EC key still signs', async () => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const legacy: StoredSigningKey = { kid: 'legacy-ec', jwk: { ...(await exportJWK(privateKey)), kid: 'legacy-ec', alg: 'ES256', use: 'sig' }, createdAt: Date.now() - DAY_MS };
  const store = new SigningKeyStore(memoryCollection(new Map([[legacy.kid, legacy]])), () => Date.now());
  const keys = await store.activeKeys();
  assert.equal(keys[0]!.kid, 'legacy-ec');
  assert.deepEqual(keys.map((k) => k.jwk.alg), ['ES256', 'RS256']);
});

test('rotation retires both keys and makes new ones; the retired stay published for verification', async () => {
  const store = new SigningKeyStore(memoryCollection(), () => Date.now());
  const before = await store.activeKeys();
  await store.rotate();
  const after = await store.activeKeys();
  assert.equal(after.length, 4);
  assert.deepEqual(after.slice(0, 2).map((k) => [k.jwk.alg, k.retiredAt]), [['ES256', undefined], ['RS256', undefined]]);
  assert.deepEqual(new Set(after.slice(2).map((k) => k.kid)), new Set(before.map((k) => k.kid)));
});

test('each key is rotated when it is 30 days old', async () => {
  let now = Date.now();
  const store = new SigningKeyStore(memoryCollection(), () => now);
  const first = await store.activeKeys();
  now += 31 * DAY_MS;
  const later = await store.activeKeys();
  assert.deepEqual(later.slice(0, 2).map((k) => k.jwk.alg), ['ES256', 'RS256']);
  assert.ok(later.slice(0, 2).every((k) => !first.some((f) => f.kid === k.kid)), 'new signing keys');
  assert.ok(first.every((f) => later.some((k) => k.kid === f.kid && k.retiredAt === now)), 'the old ones retired, still published');
});
