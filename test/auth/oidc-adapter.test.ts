/**
 * oidc-provider's storage adapter over module collections, on both real
 * backends: upsert/find, lookups by uid and user code, consume, destroy,
 * revocation of a whole grant, and expiry checked on read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { Collection, type CollectionOptions } from '../../src/storage/collection.js';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { collectionAdapterFactory } from '../../src/auth/oidc/adapter.js';
import { sweepExpired } from '../../src/auth/oidc/sweeper.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';

for (const backend of backendNames()) {
  describe(`oidc adapter over collections [${backend}]`, () => {
    let prepared: PreparedBackend;
    let store: Store;
    let now = Date.now();
    let adapterOf: ReturnType<typeof collectionAdapterFactory>;
    before(async () => {
      prepared = await prepareBackend(backend);
      store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 4 });
      const collection = <T>(name: string, options?: CollectionOptions<T>) => new Collection<T>(store, name, systemClock, options);
      adapterOf = collectionAdapterFactory(collection, () => now);
    });
    after(async () => {
      await store.close();
      await prepared.cleanup();
    });

    test('a model is found by id, sessions by uid, device codes by user code', async () => {
      const sessions = adapterOf('Session');
      await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
      assert.deepEqual(await sessions.find('s1'), { uid: 'u1', accountId: 'a' });
      assert.deepEqual(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'a' });
      assert.equal(await sessions.findByUid('u2'), undefined);
      const devices = adapterOf('DeviceCode');
      await devices.upsert('d1', { userCode: 'ABCD-EFGH' }, 60);
      assert.deepEqual(await devices.findByUserCode('ABCD-EFGH'), { userCode: 'ABCD-EFGH' });
      assert.equal(adapterOf('Session'), sessions, 'one adapter per model');
    });

    test('an expired entry is never handed back', async () => {
      const codes = adapterOf('AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g0' }, 10);
      now += 11_000;
      assert.equal(await codes.find('c1'), undefined);
    });

    test('consume marks a code; destroy removes it', async () => {
      const codes = adapterOf('AuthorizationCode');
      await codes.upsert('c2', { grantId: 'g1' }, 60);
      await codes.consume('c2');
      assert.equal(typeof (await codes.find('c2'))?.consumed, 'number');
      await codes.destroy('c2');
      assert.equal(await codes.find('c2'), undefined);
    });

    test('revoking a grant removes its tokens of that model, and only them', async () => {
      const tokens = adapterOf('RefreshToken');
      for (let i = 0; i < 3; i++) await tokens.upsert(`r${i}`, { grantId: 'g2' }, 60);
      await tokens.upsert('other', { grantId: 'g3' }, 60);
      await tokens.revokeByGrantId('g2');
      for (let i = 0; i < 3; i++) assert.equal(await tokens.find(`r${i}`), undefined);
      assert.deepEqual(await tokens.find('other'), { grantId: 'g3' });
    });

    test('the sweep deletes expired entries only, across pages', async () => {
      const interactions = adapterOf('Interaction');
      for (let i = 0; i < 520; i++) await interactions.upsert(`old-${String(i).padStart(3, '0')}`, { uid: `x${i}` }, 5);
      await interactions.upsert('live', { uid: 'live' }, 3600);
      await interactions.upsert('forever', { uid: 'forever' });
      now += 6_000;
      const [documents] = adapterOf.collections().filter((c) => c.name === 'auth.oidc.Interaction');
      assert.equal(await sweepExpired(documents!, now), 520);
      assert.deepEqual((await documents!.scan(undefined, 10)).map((e) => e.key), ['forever', 'live']);
    });
  });
}
