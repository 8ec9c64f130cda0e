/**
 * WriteTransaction.afterCommit on each backend: an effect runs once its
 * transaction is committed, in the order given, and never when the
 * transaction is rolled back, also when other units share its write batch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';

for (const backend of backendNames()) {
  describe(`effects after commit [${backend}]`, () => {
    let prepared: PreparedBackend;
    let store: Store;
    before(async () => {
      prepared = await prepareBackend(backend);
      store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 4 });
    });
    after(async () => {
      await store.close();
      await prepared.cleanup();
    });

    const document = (key: string) => ({ key, value: '{}', lookups: [], updatedAt: 0 });

    test('an effect runs after its commit, in order, and not before', async () => {
      const seen: string[] = [];
      const result = await store.transaction(async (tx) => {
        await tx.documentPut('after-commit', document('a'));
        tx.afterCommit(() => seen.push('first'));
        tx.afterCommit(() => seen.push('second'));
        assert.deepEqual(seen, [], 'nothing runs inside the transaction');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(seen, ['first', 'second']);
    });

    test('a rolled-back transaction runs none of its effects; concurrent committed ones run theirs', async () => {
      const seen: string[] = [];
      const failing = store.transaction(async (tx) => {
        await tx.documentPut('after-commit', document('b'));
        tx.afterCommit(() => seen.push('rolled back'));
        throw new Error('refused');
      });
      const units = Array.from({ length: 5 }, (_, i) => store.transaction(async (tx) => {
        await tx.documentPut('after-commit', document(`c${i}`));
        tx.afterCommit(() => seen.push(`c${i}`));
      }));
      await assert.rejects(failing, /refused/);
      await Promise.all(units);
      assert.deepEqual(seen.sort(), ['c0', 'c1', 'c2', 'c3', 'c4']);
      assert.equal(await store.documentGet('after-commit', 'b'), undefined, 'the rolled-back write is gone too');
      assert.notEqual(await store.documentGet('after-commit', 'c4'), undefined);
    });
  });
}
