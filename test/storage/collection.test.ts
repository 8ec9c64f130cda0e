import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { Collection } from '../../src/storage/collection.js';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';

interface Account { login: string; emails: string[]; locked?: boolean }

for (const backend of backendNames()) {
  describe(`module collections [${backend}]`, () => {
    let prepared: PreparedBackend;
    let store: Store;
    let accounts: Collection<Account>;
    before(async () => {
      prepared = await prepareBackend(backend);
      store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 4 });
      accounts = new Collection<Account>(store, 'test-accounts', systemClock, { lookups: (a) => ({ email: a.emails }) });
    });
    after(async () => {
      await store.close();
      await prepared.cleanup();
    });

    test('a document written is read back by key and found by its lookups', async () => {
      await accounts.put('a1', { login: 'a1', emails: ['x@example.org', 'y@example.org'] });
      assert.deepEqual(await accounts.get('a1'), { login: 'a1', emails: ['x@example.org', 'y@example.org'] });
      assert.deepEqual((await accounts.find('email', 'y@example.org')).map((e) => e.key), ['a1']);
      assert.equal(await accounts.get('missing'), undefined);
    });

    test('a lookup value longer than an index key is stored and found by its whole value (PostgreSQL refused it)', async () => {
      // Characters that do not repeat, so that PostgreSQL cannot compress the key below its limit.
      const long = `${Array.from({ length: 1200 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 0x5000))).join('')}@example.org`;
      await accounts.put('long', { login: 'long', emails: [long] });
      assert.deepEqual((await accounts.find('email', long)).map((e) => e.key), ['long']);
      assert.equal((await accounts.get('long'))?.emails[0], long, 'the document keeps the whole value');
    });

    test('replacing a document replaces its lookups', async () => {
      await accounts.put('a2', { login: 'a2', emails: ['old@example.org'] });
      await accounts.put('a2', { login: 'a2', emails: ['new@example.org'], locked: true });
      assert.deepEqual(await accounts.find('email', 'old@example.org'), []);
      const [found] = await accounts.find('email', 'new@example.org');
      assert.equal(found?.value.locked, true);
    });

    test('collections are separate name spaces', async () => {
      const other = new Collection<Account>(store, 'test-other', systemClock);
      await other.put('a1', { login: 'other', emails: [] });
      assert.equal((await accounts.get('a1'))?.login, 'a1');
      assert.equal((await other.get('a1'))?.login, 'other');
    });

    test('a document written in a failed transaction is not kept', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await accounts.put('rolled-back', { login: 'r', emails: ['r@example.org'] }, tx);
        throw new Error('abort');
      }));
      assert.equal(await accounts.get('rolled-back'), undefined);
      assert.deepEqual(await accounts.find('email', 'r@example.org'), []);
    });

    test('scan pages through documents in key order; delete removes document and lookups', async () => {
      const pages = new Collection<number>(store, 'test-pages', systemClock, { lookups: (n) => ({ parity: String(n % 2) }) });
      await pages.putMany([['k3', 3], ['k1', 1], ['k2', 2]]);
      assert.deepEqual((await pages.scan(undefined, 2)).map((e) => e.value), [1, 2]);
      assert.deepEqual((await pages.scan('k2', 10)).map((e) => e.value), [3]);
      assert.equal(await pages.delete('k1'), true);
      assert.equal(await pages.delete('k1'), false);
      assert.deepEqual((await pages.find('parity', '1')).map((e) => e.key), ['k3']);
    });
  });
}
