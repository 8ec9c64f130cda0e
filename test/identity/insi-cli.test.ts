/**
 * `socle insi load` as a user runs it (a child process) on both backends:
 * the sample loads whole; a file with bad lines loads the good ones, names
 * each bad line and its reason, and exits 1; what was loaded answers
 * through the register and is no FHIR resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import type { InsiIdentity } from '../../src/identity/insi/contract.js';
import { InsiRegister } from '../../src/identity/insi/index.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import { Collection } from '../../src/storage/collection.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { countStoredResources, runSocle, storeEnv } from '../support/child-process.js';
import { SAMPLE_FILE, samplePatients } from './insi-sample.js';

async function withRegister<T>(prepared: PreparedBackend, work: (register: InsiRegister) => Promise<T>): Promise<T> {
  const store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 2 });
  try {
    return await work(InsiRegister.open((name, options) => new Collection<InsiIdentity>(store, name, systemClock, options)));
  } finally {
    await store.close();
  }
}

for (const backend of backendNames()) {
  describe(`socle insi load [${backend}]`, () => {
    let prepared: PreparedBackend;
    let folder: string;
    before(async () => {
      prepared = await prepareBackend(backend);
      folder = await mkdtemp(join(tmpdir(), 'socle-insi-'));
    });
    after(async () => {
      await prepared.cleanup();
      await rm(folder, { recursive: true, force: true });
    });

    test('the reference sample loads whole and exits 0', async () => {
      const result = await runSocle(['insi', 'load', SAMPLE_FILE], storeEnv(prepared));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Loaded 10, rejected 0/);
      const answer = await withRegister(prepared, (register) =>
        register.retrieve({ family: 'Payet', given: ['Lucas'], gender: 'male', birthDate: '2015-09-09' }));
      assert.equal(answer.identity?.ins, withInsKey('1150997411033'));
      assert.equal(await countStoredResources(prepared), 0, 'the register is not made of FHIR resources');
    });

    test('bad lines are rejected one by one with their reason, the good ones load, and the exit code is 1', async () => {
      const [first, second] = samplePatients();
      const newcomer = { ...second, identifier: [{ ...second!.identifier[0], value: withInsKey('2850329019046') }] };
      const lines = [
        JSON.stringify(newcomer),
        '{not json',
        JSON.stringify({ ...first, identifier: [{ ...first!.identifier[0], value: `${withInsKey('2850335238124').slice(0, 13)}00` }] }),
        '',
        JSON.stringify({ ...first, gender: 'woman' }),
        JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }),
        JSON.stringify(newcomer),
      ];
      const file = join(folder, 'mixed.ndjson');
      await writeFile(file, `${lines.join('\n')}\n`);
      const result = await runSocle(['insi', 'load', file], storeEnv(prepared));
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /Loaded 1, rejected 5/);
      assert.match(result.stderr, /line 2: .*not valid JSON/);
      assert.match(result.stderr, /line 3: Invalid INS number \(key\)/);
      assert.match(result.stderr, /line 5: .*gender/);
      assert.match(result.stderr, /line 6: /);
      assert.match(result.stderr, /line 7: This INS is already listed on line 1/);
      assert.doesNotMatch(result.stderr, /line [14]:/);
      const verdict = await withRegister(prepared, (register) =>
        register.verify(withInsKey('2850329019046'), { family: 'DUPONT', given: ['Marie', 'Anne'], gender: 'female', birthDate: '1985-03-14' }));
      assert.deepEqual(verdict, { valid: true, mismatches: [] });
    });

    test('usage errors exit 2', async () => {
      assert.equal((await runSocle(['insi'], storeEnv(prepared))).code, 2);
      assert.equal((await runSocle(['insi', 'load', join(folder, 'absent.ndjson')], storeEnv(prepared))).code, 2);
    });
  });
}
